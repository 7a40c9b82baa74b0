import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ownUserId, Principal } from '../auth/principal';
import { SendThrottlerGuard } from '../rate-limit/send-throttler.guard';
import { SenderGuard } from '../auth/sender.guard';
import { parseIdempotencyKey } from '../model/idempotency-key';
import { NotificationIdPipe } from './notification-id.pipe';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { JsonRequestGuard } from './json-request.guard';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { ReadAllDto } from './dto/inbox-state.dto';
import { SendNotificationDto } from './dto/send-notification.dto';
import { RequestValidationPipe } from './dto/request-validation.pipe';
import { SendNotificationPipe } from './dto/send-notification.pipe';
import { CountResponse, ErrorResponse, NotificationPageResponse, SendResultResponse } from './dto/notification.response';
import { NotificationPage, NotificationsService } from '../notifications/notifications.service';
import { SendResult } from '../notifications/send-notification.input';
import { InboxPolls } from '../polling/inbox-polls';
import { ClientGone } from './client-gone.decorator';

const DEFAULT_PAGE_SIZE = 20;
const QUERY_VALIDATION = new RequestValidationPipe();

/** The inbox over REST (contract section 4). Every route needs a bearer token. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@Controller('notifications')
@UseGuards(BearerAuthGuard)
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly polls: InboxPolls,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Send a notification (scope notifications:send)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A repeat within 24 h returns the first result, stores nothing' })
  @ApiCreatedResponse({ type: SendResultResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid input; the message names the field' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:send' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Body over 64 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'Body is not application/json' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponse,
    description: "Over the sender's rate limit (option sendRateLimit; the server's SEND_RATE_LIMIT_PER_MINUTE)",
  })
  @UseGuards(SenderGuard, SendThrottlerGuard, JsonRequestGuard)
  @UseFilters(InvalidNotificationFilter)
  send(
    @CurrentPrincipal() sender: Principal,
    @Body(SendNotificationPipe) body: SendNotificationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<SendResult> {
    // Into the sender's own tenant, by the ids it knows (the pipeline qualifies them).
    const senderId = ownUserId(sender);
    return this.notifications.send(body, { senderId, tenantId: sender.tenantId, idempotencyKey: parseIdempotencyKey(idempotencyKey) });
  }

  @Get()
  @ApiOperation({
    summary: "The caller's inbox, newest first; with after, what followed that cursor, oldest first (polling)",
    description:
      'Short polling: `?after=<cursor>`. Long polling: `?after=<cursor>&wait=<1-30>` holds the answer until a notification follows the cursor, or for `wait` seconds (then `{items: []}`); it counts against the per-user session cap while it waits (429 over it).',
  })
  @ApiOkResponse({ type: NotificationPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'A long poll (wait) over the per-user session cap' })
  list(
    @CurrentPrincipal() user: Principal,
    @Query(QUERY_VALIDATION) query: ListNotificationsQuery,
    @ClientGone() clientGone: AbortSignal,
  ): Promise<NotificationPage> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    if (query.after !== undefined) {
      return this.polls.poll(user, { after: query.after, waitSeconds: query.wait, limit, unreadOnly: query.unread }, clientGone);
    }
    return this.notifications.list(ownUserId(user), {
      tenantId: user.tenantId,
      limit,
      beforeCursor: query.before,
      unreadOnly: query.unread,
      archived: query.archived,
      seen: query.seen,
      type: query.type,
      topic: query.topic,
      since: query.since,
    });
  }

  @Get('unread-count')
  @ApiOperation({ summary: "The caller's unread count" })
  @ApiOkResponse({ type: CountResponse })
  async unreadCount(@CurrentPrincipal() user: Principal): Promise<{ count: number }> {
    return { count: await this.notifications.unreadCount(ownUserId(user), { tenantId: user.tenantId }) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark everything read, or only a type (prefix.*) or topic; returns how many were unread' })
  @ApiOkResponse({ type: CountResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad filter; the message names the field' })
  async readAll(@CurrentPrincipal() user: Principal, @Body(QUERY_VALIDATION) body: ReadAllDto): Promise<{ count: number }> {
    return {
      count: await this.notifications.markAllRead(ownUserId(user), { type: body.type, topic: body.topic, tenantId: user.tenantId }),
    };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one notification read' })
  @ApiNoContentResponse({ description: 'Read (or already read)' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id (a UUID)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The caller has no such notification' })
  async read(@CurrentPrincipal() user: Principal, @Param('id', NotificationIdPipe) id: string): Promise<void> {
    if (!(await this.notifications.markOneRead(ownUserId(user), id, { tenantId: user.tenantId }))) throw notFound(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive: gone from lists and replay' })
  @ApiNoContentResponse({ description: 'Archived' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id (a UUID)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The caller has no such notification' })
  async archive(@CurrentPrincipal() user: Principal, @Param('id', NotificationIdPipe) id: string): Promise<void> {
    if (!(await this.notifications.archive(ownUserId(user), id, { tenantId: user.tenantId }))) throw notFound(id);
  }
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`You have no notification ${id.slice(0, 100)}`);
}

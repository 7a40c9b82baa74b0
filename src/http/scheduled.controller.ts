import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Query, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ownUserId, Principal } from '../auth/principal';
import { SenderGuard } from '../auth/sender.guard';
import { ScheduledNotificationPage, ScheduledNotificationView } from '../model/scheduled-notification';
import { NotificationsService } from '../notifications/notifications.service';
import { ErrorResponse } from './dto/notification.response';
import { RequestValidationPipe } from './dto/request-validation.pipe';
import { ListScheduledQuery, RescheduleDto } from './dto/scheduled.dto';
import { ScheduledNotificationResponse, ScheduledPageResponse } from './dto/scheduled.response';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { JsonRequestGuard } from './json-request.guard';
import { NotificationIdPipe } from './notification-id.pipe';

const VALIDATION = new RequestValidationPipe();
const NOT_HELD = 'The caller has no such held send: released, cancelled, or never theirs';

/**
 * Held sends (`deliverAt` in the future), for the sender that made them: the token's `sub`
 * must be the send's sender, admins included (someone else's held send is a 404, as one
 * already released is). Managing them takes the scope that sending takes.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:send' })
@Controller('notifications/scheduled')
@UseGuards(BearerAuthGuard, SenderGuard)
@UseFilters(InvalidNotificationFilter)
export class ScheduledController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's held sends, soonest deliverAt first (scope notifications:send)" })
  @ApiOkResponse({ type: ScheduledPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'limit or after is invalid; the message names it' })
  list(@CurrentPrincipal() sender: Principal, @Query(VALIDATION) query: ListScheduledQuery): Promise<ScheduledNotificationPage> {
    return this.notifications.listScheduled(ownUserId(sender), { limit: query.limit, after: query.after, tenantId: sender.tenantId });
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Move a held send to another deliverAt' })
  @ApiOkResponse({ type: ScheduledNotificationResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id, or deliverAt is not a future date-time' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_HELD })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'Body over 64 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponse, description: 'Body is not application/json' })
  @UseGuards(JsonRequestGuard)
  async reschedule(
    @CurrentPrincipal() sender: Principal,
    @Param('id', NotificationIdPipe) id: string,
    @Body(VALIDATION) body: RescheduleDto,
  ): Promise<ScheduledNotificationView> {
    const moved = await this.notifications.reschedule(ownUserId(sender), id, body.deliverAt, { tenantId: sender.tenantId });
    if (!moved) throw notHeld(id);
    return moved;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a held send: it is deleted and never released' })
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id (a UUID)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: NOT_HELD })
  async cancel(@CurrentPrincipal() sender: Principal, @Param('id', NotificationIdPipe) id: string): Promise<void> {
    if (!(await this.notifications.cancelScheduled(ownUserId(sender), id, { tenantId: sender.tenantId }))) throw notHeld(id);
  }
}

function notHeld(id: string): NotFoundException {
  return new NotFoundException(`You have no held send ${id.slice(0, 100)}: released, cancelled, or not yours`);
}

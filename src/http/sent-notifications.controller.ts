import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { NotificationsService } from '../notifications/notifications.service';
import { SentNotificationsPage } from '../notifications/sent-notifications.types';
import { ListSentNotificationsQuery } from './dto/list-sent-notifications.query';
import { ErrorResponse } from './dto/notification.response';
import { RequestValidationPipe } from './dto/request-validation.pipe';
import { SentNotificationsPageResponse } from './dto/sent-notifications.response';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';

const DEFAULT_PAGE_SIZE = 20;

/**
 * The audit of sends, for administrators. Its own controller, registered before
 * NotificationsController: on Express the first matching route wins, so `sent` must come
 * before any `GET /notifications/:id` (Fastify prefers a static segment anyway).
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The token lacks scope notifications:admin' })
@Controller('notifications')
@UseGuards(BearerAuthGuard, AdminGuard)
export class SentNotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('sent')
  @ApiOperation({
    summary: 'What was sent, by whom, and how far it got (scope notifications:admin)',
    description: 'Newest first. Counts come from the inbox entries: recipients, delivered (acknowledged or read), read.',
  })
  @ApiOkResponse({ type: SentNotificationsPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad query parameter; the message names it' })
  list(
    @CurrentPrincipal() caller: Principal,
    @Query(new RequestValidationPipe()) query: ListSentNotificationsQuery,
  ): Promise<SentNotificationsPage> {
    // An administrator audits their own tenant's sends, and names senders as the tenant does.
    return this.notifications.listSent({ ...query, tenantId: caller.tenantId, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }
}

import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ownUserId, Principal } from '../auth/principal';
import { NotificationsService } from '../notifications/notifications.service';
import { ArchiveAllDto, SeenDto } from './dto/inbox-state.dto';
import { InboxCountsResponse } from './dto/inbox-state.response';
import { CountResponse, ErrorResponse } from './dto/notification.response';
import { RequestValidationPipe } from './dto/request-validation.pipe';
import { NotificationIdPipe } from './notification-id.pipe';
import { InboxCounts } from '../model/inbox-state';

const BODY_VALIDATION = new RequestValidationPipe();

/**
 * The states of the caller's notifications beyond read (seen, unread again, archived and
 * back) and their counts. Each change reaches every session of the caller as a `state` frame
 * and an `unread {count, unseen}` frame. `read-all` and v1's routes are in NotificationsController.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@Controller('notifications')
@UseGuards(BearerAuthGuard)
export class InboxStateController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('counts')
  @ApiOperation({ summary: 'Unread and unseen counts, and the unread by type and by topic (unarchived, unexpired)' })
  @ApiOkResponse({ type: InboxCountsResponse })
  counts(@CurrentPrincipal() user: Principal): Promise<InboxCounts> {
    return this.notifications.counts(ownUserId(user), { tenantId: user.tenantId });
  }

  @Post('seen')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark notifications seen (the bell was opened; seen is not read): {ids} or {all: true}' })
  @ApiOkResponse({ type: CountResponse, description: 'How many were newly seen' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Neither ids nor all, both, or bad ids' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'One of the ids is not in your inbox; nothing was marked' })
  async seen(@CurrentPrincipal() user: Principal, @Body(BODY_VALIDATION) body: SeenDto): Promise<{ count: number }> {
    if (body.ids === undefined && body.all === undefined)
      throw new BadRequestException(['ids or all is required: {"ids": [...]} or {"all": true}']);
    const { count, missing } = await this.notifications.markSeen(ownUserId(user), body.ids ?? null, {
      requireOwned: true,
      tenantId: user.tenantId,
    });
    if (missing !== undefined) throw notFound(missing);
    return { count };
  }

  @Post('archive-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive every notification, or those of a type (prefix.*), a topic, or read or unread ones' })
  @ApiOkResponse({ type: CountResponse, description: 'How many were archived' })
  @ApiBadRequestResponse({ type: ErrorResponse })
  async archiveAll(@CurrentPrincipal() user: Principal, @Body(BODY_VALIDATION) body: ArchiveAllDto): Promise<{ count: number }> {
    const filter = { type: body.type, topic: body.topic, read: body.read, tenantId: user.tenantId };
    return { count: await this.notifications.archiveAll(ownUserId(user), filter) };
  }

  @Post(':id/unread')
  @HttpCode(204)
  @ApiOperation({ summary: 'Count a notification unread again (it stays seen)' })
  @ApiNoContentResponse({ description: 'Unread (or already unread)' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id (a UUID)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The caller has no such notification in the inbox (archived ones included)' })
  async unread(@CurrentPrincipal() user: Principal, @Param('id', NotificationIdPipe) id: string): Promise<void> {
    if (!(await this.notifications.markUnread(ownUserId(user), id, { tenantId: user.tenantId }))) throw notFound(id);
  }

  @Post(':id/archive')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive: gone from lists, counts and replay (as DELETE /notifications/:id)' })
  @ApiNoContentResponse({ description: 'Archived' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id (a UUID)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The caller has no such notification in the inbox (archived already included)' })
  async archive(@CurrentPrincipal() user: Principal, @Param('id', NotificationIdPipe) id: string): Promise<void> {
    if (!(await this.notifications.archive(ownUserId(user), id, { tenantId: user.tenantId }))) throw notFound(id);
  }

  @Post(':id/unarchive')
  @HttpCode(204)
  @ApiOperation({ summary: 'Bring an archived notification back to the inbox' })
  @ApiNoContentResponse({ description: 'Back in the inbox (or was not archived)' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id (a UUID)' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The caller has no such notification' })
  async unarchive(@CurrentPrincipal() user: Principal, @Param('id', NotificationIdPipe) id: string): Promise<void> {
    if (!(await this.notifications.unarchive(ownUserId(user), id, { tenantId: user.tenantId }))) throw notFound(id);
  }
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`You have no notification ${id.slice(0, 100)}`);
}

import { BadRequestException, ConflictException, Controller, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ownUserId, Principal } from '../auth/principal';
import { ACTION_LIMITS } from '../model/notification-action';
import { NotificationsService } from '../notifications/notifications.service';
import { ActionTakenResponse, ErrorResponse } from './dto/notification.response';
import { NotificationIdPipe } from './notification-id.pipe';

/** `POST /notifications/:id/actions/:actionId`: the caller takes one of a notification's actions. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@Controller('notifications')
@UseGuards(BearerAuthGuard)
export class NotificationActionsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post(':id/actions/:actionId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take an action: recorded once, marks it read; the same again answers the same, another one 409',
  })
  @ApiOkResponse({ type: ActionTakenResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a notification id, or actionId not [a-z0-9_-]{1,40}' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The caller has no such notification, or it has no such action' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Another action was taken on it already' })
  async take(
    @CurrentPrincipal() user: Principal,
    @Param('id', NotificationIdPipe) id: string,
    @Param('actionId') actionId: string,
  ): Promise<ActionTakenResponse> {
    if (!ACTION_LIMITS.idPattern.test(actionId)) throw new BadRequestException('actionId must match [a-z0-9_-]{1,40}');
    const outcome = await this.notifications.takeAction(ownUserId(user), id, actionId, { tenantId: user.tenantId });
    switch (outcome.kind) {
      case 'taken':
        return { actionId: outcome.actionId, actionedAt: outcome.actionedAt };
      case 'no-such-notification':
        throw new NotFoundException(`You have no notification ${id}`);
      case 'no-such-action':
        throw new NotFoundException(`Notification ${id} has no action ${actionId}`);
      case 'other-action-taken':
        throw new ConflictException(`Action ${outcome.actionId} was already taken on notification ${id}`);
    }
  }
}

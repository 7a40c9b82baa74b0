import { Controller, Delete, ForbiddenException, HttpCode, Inject, Param, Put, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { SenderPolicy } from '../auth/sender-policy';
import { ErrorResponse } from './dto/notification.response';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { TOPIC_PATTERN } from './notification-audience';
import { TopicSubscriptions } from './topic-subscriptions';

/** Topic subscribers (contract section 4): a sender manages anyone, a user only themself. */
@ApiTags('topics')
@ApiBearerAuth()
@ApiParam({ name: 'topic', schema: { type: 'string', pattern: TOPIC_PATTERN.source, example: 'finance' } })
@ApiParam({ name: 'userId', description: "A token's `sub`, 1 to 255 characters" })
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The caller is neither that user nor a sender (scope notifications:send)' })
@ApiBadRequestResponse({
  type: ErrorResponse,
  description: 'topic does not match [A-Za-z0-9._:-]{1,100}, or userId is not 1 to 255 characters',
})
@Controller('topics')
@UseGuards(BearerAuthGuard)
@UseFilters(InvalidNotificationFilter)
export class TopicsController {
  constructor(
    private readonly subscriptions: TopicSubscriptions,
    @Inject(SenderPolicy) private readonly policy: SenderPolicy,
  ) {}

  @Put(':topic/subscribers/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Subscribe a user to a topic (a sender: anyone; a user: themself)' })
  @ApiNoContentResponse({ description: 'Subscribed (or already subscribed); topics need no creating' })
  subscribe(@CurrentPrincipal() caller: Principal, @Param('topic') topic: string, @Param('userId') userId: string) {
    this.checkAllowed(caller, userId);
    return this.subscriptions.subscribe(topic, userId);
  }

  @Delete(':topic/subscribers/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe a user from a topic (a sender: anyone; a user: themself)' })
  @ApiNoContentResponse({ description: 'Unsubscribed (or was not subscribed)' })
  unsubscribe(@CurrentPrincipal() caller: Principal, @Param('topic') topic: string, @Param('userId') userId: string) {
    this.checkAllowed(caller, userId);
    return this.subscriptions.unsubscribe(topic, userId);
  }

  private checkAllowed(caller: Principal, userId: string): void {
    if (caller.userId !== userId && !this.policy.canSend(caller)) {
      throw new ForbiddenException('Only a sender (scope notifications:send) may manage the subscriptions of another user');
    }
  }
}

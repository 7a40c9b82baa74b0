import { Controller, Delete, ForbiddenException, HttpCode, Inject, Param, Put, UseFilters, UseGuards } from '@nestjs/common';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/principal';
import { SenderPolicy } from '../auth/sender-policy';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { TopicSubscriptions } from './topic-subscriptions';

/** Topic subscribers (contract section 4): a sender manages anyone, a user only themself. */
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
  subscribe(@CurrentPrincipal() caller: Principal, @Param('topic') topic: string, @Param('userId') userId: string) {
    this.checkAllowed(caller, userId);
    return this.subscriptions.subscribe(topic, userId);
  }

  @Delete(':topic/subscribers/:userId')
  @HttpCode(204)
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

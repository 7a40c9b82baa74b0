import {
  Controller,
  Delete,
  ForbiddenException,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Put,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { keyInTenantOf, Principal } from '../auth/principal';
import { mayManageSubscription, maySubscribe, SenderPolicy } from '../auth/sender-policy';
import { ErrorResponse } from './dto/notification.response';
import { InvalidNotificationFilter } from './invalid-notification.filter';
import { USER_ID_PARAM_DESCRIPTION } from './tenant-user-id.decorator';
import { TOPIC_PATTERN } from '../model/notification-audience';
import { TopicSubscriptions } from '../notifications/topic-subscriptions';
import { USER_ID_RULE } from '../model/user-id';

const OTHER_USERS_SUBSCRIPTIONS = 'Only a sender (scope notifications:send) may manage the subscriptions of another user';

/**
 * Topic subscribers (contract section 4): a sender manages anyone, a user only themself; who
 * may subscribe is the SenderPolicy's `canSubscribe` to decide, when the host gives one.
 */
@ApiTags('topics')
@ApiBearerAuth()
@ApiParam({ name: 'topic', schema: { type: 'string', pattern: TOPIC_PATTERN.source, example: 'finance' } })
@ApiParam({ name: 'userId', description: USER_ID_PARAM_DESCRIPTION })
@ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No bearer token, or an invalid or expired one' })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The caller is neither that user nor a sender (scope notifications:send)' })
@ApiBadRequestResponse({
  type: ErrorResponse,
  description: `topic does not match [A-Za-z0-9._:-]{1,100}, or userId is not ${USER_ID_RULE}`,
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
  @ApiOperation({ summary: "Subscribe a user to a topic (a sender: anyone; a user: themself; a host's SenderPolicy.canSubscribe decides)" })
  @ApiNoContentResponse({ description: 'Subscribed (or already subscribed); topics need no creating' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "The host's SenderPolicy does not let the caller join this topic" })
  async subscribe(@CurrentPrincipal() caller: Principal, @Param('topic') topic: string, @Param('userId') userId: string) {
    // The policy compares with the caller's userId: the user's key in the caller's tenant.
    if (!(await maySubscribe(this.policy, caller, topic, keyInTenantOf(caller, userId)))) {
      // Someone else's subscriptions: 403, as in v1. Their own, to a topic the policy keeps them
      // out of: 404, as for anything not theirs, so the answer does not tell which topics are restricted.
      if (caller.userId !== keyInTenantOf(caller, userId)) throw new ForbiddenException(OTHER_USERS_SUBSCRIPTIONS);
      throw new NotFoundException('No such topic to subscribe to');
    }
    return this.subscriptions.subscribe(topic, userId, { tenantId: caller.tenantId });
  }

  @Delete(':topic/subscribers/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe a user from a topic (a sender: anyone; a user: themself)' })
  @ApiNoContentResponse({ description: 'Unsubscribed (or was not subscribed)' })
  unsubscribe(@CurrentPrincipal() caller: Principal, @Param('topic') topic: string, @Param('userId') userId: string) {
    this.checkAllowed(caller, keyInTenantOf(caller, userId));
    return this.subscriptions.unsubscribe(topic, userId, { tenantId: caller.tenantId });
  }

  private checkAllowed(caller: Principal, userId: string): void {
    if (!mayManageSubscription(this.policy, caller, userId)) {
      throw new ForbiddenException(OTHER_USERS_SUBSCRIPTIONS);
    }
  }
}

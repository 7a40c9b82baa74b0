import { DeliveryMessage } from '../delivery/delivery-bus';
import { NotificationContent } from '../model/notification.view';
import { OutboxPlan } from '../persistence/outbox.store';
import { FallbackPolicy } from './fallback-policy';

/**
 * The outbox rows of a notification's channels, timed from its creation (a held one's
 * release). A channel that would go at once waits `onlineGraceSeconds` for users online at
 * send time: their client has it and will acknowledge it. Empty when no channel applies.
 */
export function outboxPlansFor(policy: FallbackPolicy, content: NotificationContent): OutboxPlan[] {
  const plans = policy.plansFor(content.type);
  if (plans.length === 0) return plans as [];
  const createdAt = Date.parse(content.createdAt);
  const at = (seconds: number) => new Date(createdAt + seconds * 1000).toISOString();
  return plans.map(({ channel, afterSeconds, cancelWhen }) => ({
    channel,
    cancelWhen,
    dueAt: at(afterSeconds),
    onlineDueAt: at(Math.max(afterSeconds, policy.onlineGraceSeconds)),
  }));
}

/** The users a fan-out delivers live to: those online at send time. */
export function onlineUsersOf(messages: readonly DeliveryMessage[]): string[] {
  return messages.flatMap((message) => (message.kind === 'notification' ? message.recipients.map((recipient) => recipient.userId) : []));
}

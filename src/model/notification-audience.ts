import { InvalidNotificationException } from './invalid-notification.exception';

/** Who a notification is for: named users, a topic's subscribers, or everyone. */
export type NotificationAudience =
  | { kind: 'users'; userIds: string[] }
  | { kind: 'topic'; topic: string }
  /** `tenantId`: with tenancy, whose users it reaches (kept with a held broadcast). */
  | { kind: 'broadcast'; tenantId?: string };

/** Topic names: letters, digits and `._:-`, 1 to 100 characters. */
export const TOPIC_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The one audience a send names. Exactly one of `userIds`, `topic` and `broadcast: true`
 * is required; anything else is refused naming the fields.
 */
export function resolveAudience(input: { userIds?: readonly string[]; topic?: string; broadcast?: boolean }): NotificationAudience {
  const named = [
    input.userIds !== undefined && 'userIds',
    input.topic !== undefined && 'topic',
    input.broadcast === true && 'broadcast',
  ].filter((field): field is string => field !== false);
  if (named.length !== 1) {
    throw new InvalidNotificationException(
      `Name exactly one audience: userIds, topic or broadcast: true (got ${named.length === 0 ? 'none' : named.join(', ')})`,
    );
  }
  if (input.userIds !== undefined) {
    const userIds = [...new Set(input.userIds)];
    if (userIds.length === 0) throw new InvalidNotificationException('userIds must name at least one user');
    return { kind: 'users', userIds };
  }
  if (input.topic !== undefined) {
    if (!TOPIC_PATTERN.test(input.topic)) {
      throw new InvalidNotificationException('topic must match [A-Za-z0-9._:-]{1,100}');
    }
    return { kind: 'topic', topic: input.topic };
  }
  return { kind: 'broadcast' };
}

import { NotificationAudience } from '../model/notification-audience';
import { NotificationContent } from '../model/notification.view';
import { newNotificationId } from '../model/notification-id';
import { normalizeActions } from '../model/notification-action';
import type { SendNotificationInput } from './send-notification.input';

/** The notification as stored and sent: one builder for every audience, held or not. */
export function buildContent(input: SendNotificationInput, audience: NotificationAudience, createdAt: number): NotificationContent {
  return {
    id: newNotificationId(),
    type: input.type,
    title: input.title,
    body: input.body ?? null,
    data: input.data ?? null,
    priority: input.priority ?? 'normal',
    topic: audience.kind === 'topic' ? audience.topic : null,
    createdAt: new Date(createdAt).toISOString(),
    expiresAt: input.ttlSeconds ? new Date(createdAt + input.ttlSeconds * 1000).toISOString() : null,
    critical: input.critical === true,
    actions: normalizeActions(input.actions),
    groupKey: input.groupKey ?? null,
  };
}

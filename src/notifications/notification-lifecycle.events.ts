import { NotificationAudience } from './notification-audience';
import { NotificationContent } from './notification.view';

/** Names of the module's own lifecycle events on the host's EventEmitter2. */
export const NotificationLifecycleEvents = {
  Created: 'notifications.created',
  Delivered: 'notifications.delivered',
  Read: 'notifications.read',
  Archived: 'notifications.archived',
} as const;

/** A notification was stored (sent at once, or held until `deliverAt`). */
export class NotificationCreatedEvent {
  constructor(
    readonly notification: NotificationContent,
    readonly audience: NotificationAudience,
    /** Inboxes it landed in at send time (0 while held; online users for a broadcast). */
    readonly recipients: number,
    /** Of those, users with an open session at send time. */
    readonly online: number,
    /** The sending user, or null for the host application. */
    readonly senderId: string | null,
    /** When a held notification is due; null when it was delivered at once. */
    readonly deliverAt: string | null,
  ) {}
}

/** A user's client acknowledged notifications (`ack` frame): they reached a device. */
export class NotificationDeliveredEvent {
  constructor(
    readonly userId: string,
    readonly notificationIds: readonly string[],
    /** How many of them were not acknowledged before. */
    readonly count: number,
  ) {}
}

/** A user read notifications; `notificationIds` is null for "read all". */
export class NotificationReadEvent {
  constructor(
    readonly userId: string,
    readonly notificationIds: readonly string[] | null,
    /** How many were unread before. */
    readonly count: number,
  ) {}
}

/** A user archived a notification. */
export class NotificationArchivedEvent {
  constructor(
    readonly userId: string,
    readonly notificationId: string,
  ) {}
}

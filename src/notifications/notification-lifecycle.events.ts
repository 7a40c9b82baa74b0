import { NotificationAudience } from '../model/notification-audience';
import { NotificationContent } from '../model/notification.view';

/** Names of the module's own lifecycle events on the host's EventEmitter2. */
export const NotificationLifecycleEvents = {
  Created: 'notifications.created',
  Released: 'notifications.released',
  Delivered: 'notifications.delivered',
  Read: 'notifications.read',
  Archived: 'notifications.archived',
  Rescheduled: 'notifications.rescheduled',
  Cancelled: 'notifications.cancelled',
  ChannelFailed: 'notifications.channel_failed',
  Actioned: 'notifications.actioned',
} as const;

/**
 * A send stored a notification: delivered at once, or held until `deliverAt` (`held`), in
 * which case `notifications.released` follows when it is due.
 */
export class NotificationCreatedEvent {
  constructor(
    readonly notification: NotificationContent,
    readonly audience: NotificationAudience,
    /**
     * Inboxes it landed in (online users for a broadcast). While held, nothing is in an inbox
     * yet: this is the reach the send answered with (the users named, the topic's subscribers
     * at scheduling time; 0 for a broadcast); the released event has the real count.
     */
    readonly recipients: number,
    /** Of those, users with an open session at send time; 0 while held. */
    readonly online: number,
    /** The sending user, or null for the host application. */
    readonly senderId: string | null,
    /** The `deliverAt` of the send, or null; one already past is delivered at once (held false). */
    readonly deliverAt: string | null,
    /** True when the notification waits for `deliverAt`: not listed, not sent, until released. */
    readonly held: boolean,
    /** Recipients its audience named whose preferences kept it out of their inbox (0 while held). */
    readonly suppressed = 0,
  ) {}
}

/**
 * A held notification's `deliverAt` came: it went into its audience's inboxes and to those
 * online, like a fresh send. Exactly one of this or `notifications.cancelled` follows each
 * held `notifications.created`, on one node. `expired` is true when its TTL ran out first (the server was down past it): then it
 * reached no one, and `recipients` and `online` are 0.
 */
export class NotificationReleasedEvent {
  constructor(
    readonly notification: NotificationContent,
    readonly audience: NotificationAudience,
    /** Inboxes it landed in at release (the topic's subscribers then; online users for a broadcast). */
    readonly recipients: number,
    /** Of those, users with an open session at release. */
    readonly online: number,
    readonly expired: boolean,
    /** Recipients whose preferences kept it out of their inbox at release. */
    readonly suppressed = 0,
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

/** Its sender moved a held notification to another `deliverAt`; its createdAt and expiresAt moved with it. */
export class NotificationRescheduledEvent {
  constructor(
    /** As it will be released: createdAt is the new deliverAt. */
    readonly notification: NotificationContent,
    readonly audience: NotificationAudience,
    /** The sending user, or null for the host application. */
    readonly senderId: string | null,
    readonly deliverAt: string,
  ) {}
}

/** Its sender cancelled a held notification: it was deleted, and no `notifications.released` will follow. */
export class NotificationCancelledEvent {
  constructor(
    readonly notification: NotificationContent,
    readonly audience: NotificationAudience,
    /** The sending user, or null for the host application. */
    readonly senderId: string | null,
  ) {}
}

/** A channel beyond the socket gave up on a notification for a user, after its retries. */
export class NotificationChannelFailedEvent {
  constructor(
    readonly notificationId: string,
    readonly userId: string,
    /** `push`, `email` or a host channel's name. */
    readonly channel: string,
    readonly attempts: number,
    readonly error: string,
  ) {}
}

/**
 * A user took one of a notification's actions (POST /notifications/:id/actions/:actionId):
 * once per user and notification. Host code subscribes to act on it (approve an expense…).
 */
export class NotificationActionedEvent {
  constructor(
    readonly notification: NotificationContent,
    readonly userId: string,
    /** One of `notification.actions`' ids. */
    readonly actionId: string,
    readonly actionedAt: string,
    /** The user's tenant when tenancy is configured (filled in as the event is emitted); null with one tenant. */
    readonly tenant: string | null = null,
  ) {}
}

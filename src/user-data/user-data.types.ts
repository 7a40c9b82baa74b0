import { NotificationView } from '../model/notification.view';
import { StoredPreferences } from '../model/preferences';

/** An entry of the user's inbox with all of its state, archived and expired ones included. */
export interface InboxEntryData extends NotificationView {
  archivedAt: string | null;
}

/** A notification the user snoozed: out of their inbox until `snoozedUntil`, when it comes back as new. */
export interface SnoozedNotificationData {
  id: string;
  type: string;
  title: string;
  snoozedAt: string;
  snoozedUntil: string;
}

/** A held send (`deliverAt` in the future) that names the user among its recipients. */
export interface HeldNotificationData {
  id: string;
  type: string;
  title: string;
  deliverAt: string;
}

export interface TopicSubscriptionData {
  topic: string;
  createdAt: string;
}

/** An `Idempotency-Key` the user sent with, as a sender (the answer it repeats is not personal). */
export interface IdempotencyKeyData {
  key: string;
  createdAt: string;
}

/** A notification the user sent (its content belongs to its recipients' inboxes). */
export interface SentNotificationData {
  id: string;
  type: string;
  createdAt: string;
  audience: string;
}

/** The user's preferences as they set them (`GET /preferences` fills in the module's defaults). */
export type PreferencesData = StoredPreferences;

export interface RevocationData {
  /** Tokens of the user issued at or before this are refused. */
  revokedBefore: string;
}

/** A browser subscribed to Web Push for the user. */
export interface PushSubscriptionData {
  endpoint: string;
  createdAt: string;
}

/** The email address last seen in the user's tokens (the `email` claim), kept for the email channel. */
export interface ContactData {
  email: string;
  updatedAt: string;
}

/** A send planned for the user by a channel beyond the socket, and how it went. */
export interface ChannelDeliveryData {
  notificationId: string;
  channel: string;
  status: string;
  attempts: number;
  plannedAt: string;
  updatedAt: string;
}

/** A lifecycle event naming the user, not yet delivered to the webhook. */
export interface WebhookEventData {
  id: string;
  type: string;
  createdAt: string;
}

/** Every table's part of what the module stores about a user, by the name of its section. */
export interface UserDataSections {
  snoozedNotifications: SnoozedNotificationData[];
  inbox: InboxEntryData[];
  heldNotifications: HeldNotificationData[];
  topicSubscriptions: TopicSubscriptionData[];
  idempotencyKeys: IdempotencyKeyData[];
  sentNotifications: SentNotificationData[];
  revocations: RevocationData[];
  preferences: PreferencesData[];
  pushSubscriptions: PushSubscriptionData[];
  contacts: ContactData[];
  channelDeliveries: ChannelDeliveryData[];
  webhookEvents: WebhookEventData[];
}

/** Everything the module stores about one user (`GET /users/:userId/data`). */
export interface UserDataExport extends UserDataSections {
  userId: string;
  exportedAt: string;
}

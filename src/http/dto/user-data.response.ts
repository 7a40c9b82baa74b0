import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ChannelSwitchesBody, QuietHoursBody } from './preferences.dto';
import {
  HeldNotificationData,
  IdempotencyKeyData,
  InboxEntryData,
  PreferencesData,
  RevocationData,
  SentNotificationData,
  SnoozedNotificationData,
  TopicSubscriptionData,
  UserDataExport,
} from '../../user-data/user-data.types';
import { NotificationResponse } from './notification.response';
import {
  ChannelDeliveryRecordResponse,
  ContactResponse,
  PushSubscriptionRecordResponse,
  WebhookEventRecordResponse,
} from './user-data-channels.response';

// `GET /users/:userId/data` for the OpenAPI document; `implements` keeps each class in step with its type.

export class InboxEntryResponse extends NotificationResponse implements InboxEntryData {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the user archived it' })
  archivedAt: string | null;
}

export class HeldNotificationResponse implements HeldNotificationData {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  type: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ format: 'date-time' })
  deliverAt: string;
}

export class SnoozedNotificationResponse implements SnoozedNotificationData {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  type: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ format: 'date-time' })
  snoozedAt: string;
  @ApiProperty({ format: 'date-time', description: 'When it comes back to the inbox, as new' })
  snoozedUntil: string;
}

export class TopicSubscriptionResponse implements TopicSubscriptionData {
  @ApiProperty()
  topic: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class IdempotencyKeyResponse implements IdempotencyKeyData {
  @ApiProperty()
  key: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class SentNotificationRecordResponse implements SentNotificationData {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  type: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ enum: ['users', 'topic', 'broadcast'] })
  audience: string;
}

export class RevocationResponse implements RevocationData {
  @ApiProperty({ format: 'date-time', description: 'Tokens of the user issued at or before this are refused' })
  revokedBefore: string;
}

/** The user's preferences as stored: only what they set, without the module's defaults. */
export class StoredPreferencesResponse implements PreferencesData {
  @ApiProperty({ type: ChannelSwitchesBody })
  channels: ChannelSwitchesBody;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ChannelSwitchesBody) } })
  types: Record<string, ChannelSwitchesBody>;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ChannelSwitchesBody) } })
  topics: Record<string, ChannelSwitchesBody>;
  @ApiProperty({ type: QuietHoursBody, nullable: true })
  quietHours: QuietHoursBody | null;
  @ApiProperty({ type: String, nullable: true })
  email: string | null;
}

export class UserDataResponse implements UserDataExport {
  @ApiProperty()
  userId: string;
  @ApiProperty({ format: 'date-time' })
  exportedAt: string;
  @ApiProperty({ type: [SnoozedNotificationResponse], description: 'Notifications the user snoozed (out of the inbox until snoozedUntil)' })
  snoozedNotifications: SnoozedNotificationResponse[];
  @ApiProperty({ type: [InboxEntryResponse], description: 'Every inbox entry with its state, archived and expired ones too, by cursor' })
  inbox: InboxEntryResponse[];
  @ApiProperty({ type: [HeldNotificationResponse], description: 'Held sends (deliverAt ahead) that name the user' })
  heldNotifications: HeldNotificationResponse[];
  @ApiProperty({ type: [TopicSubscriptionResponse] })
  topicSubscriptions: TopicSubscriptionResponse[];
  @ApiProperty({ type: [IdempotencyKeyResponse], description: 'Idempotency-Keys the user sent with (as a sender), without the answers' })
  idempotencyKeys: IdempotencyKeyResponse[];
  @ApiProperty({ type: [SentNotificationRecordResponse], description: 'Notifications the user sent' })
  sentNotifications: SentNotificationRecordResponse[];
  @ApiProperty({ type: [RevocationResponse], description: "The user's revocation, if any (at most one)" })
  revocations: RevocationResponse[];
  @ApiProperty({
    type: [StoredPreferencesResponse],
    description: "The user's preferences as they set them, without the module's defaults (none when never set)",
  })
  preferences: StoredPreferencesResponse[];
  @ApiProperty({ type: [PushSubscriptionRecordResponse], description: "The user's browsers subscribed to Web Push" })
  pushSubscriptions: PushSubscriptionRecordResponse[];
  @ApiProperty({ type: [ContactResponse], description: 'The email address kept for the email channel (at most one)' })
  contacts: ContactResponse[];
  @ApiProperty({ type: [ChannelDeliveryRecordResponse], description: 'Sends planned for the user by push, email or host channels' })
  channelDeliveries: ChannelDeliveryRecordResponse[];
  @ApiProperty({ type: [WebhookEventRecordResponse], description: 'Lifecycle events naming the user, not yet sent to the webhook' })
  webhookEvents: WebhookEventRecordResponse[];
}

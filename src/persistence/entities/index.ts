import { Entity, JoinColumn, ManyToOne } from 'typeorm';
import { NotificationsTableOptions } from '../../config/notifications.options';
import { TableNaming } from '../table-naming';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { NotificationRecipientEntity } from './notification-recipient.entity';
import { NotificationEntity } from './notification.entity';
import { InAppRuleEntity, PreferencesEntity } from './preferences.entity';
import { RevocationEntity } from './revocation.entity';
import { TopicSubscriptionEntity } from './topic-subscription.entity';
import { ChannelOutboxEntity } from './channel-outbox.entity';
import { ChannelAttemptEntity } from './channel-attempt.entity';
import { PushSubscriptionEntity } from './push-subscription.entity';
import { UserContactEntity } from './user-contact.entity';
import { WebhookEventEntity } from './webhook-event.entity';
import { SnoozeEntity } from './snooze.entity';
import { TenantEntity } from './tenant.entity';
import { CursorMarkEntity } from './cursor-mark.entity';

export {
  IdempotencyKeyEntity,
  InAppRuleEntity,
  NotificationEntity,
  NotificationRecipientEntity,
  PreferencesEntity,
  RevocationEntity,
  TopicSubscriptionEntity,
  ChannelOutboxEntity,
  ChannelAttemptEntity,
  PushSubscriptionEntity,
  UserContactEntity,
  WebhookEventEntity,
  SnoozeEntity,
  TenantEntity,
  CursorMarkEntity,
};

/** Every entity of the module: add them to the host's DataSource `entities`. */
export const NOTIFICATIONS_ENTITIES = [
  NotificationEntity,
  NotificationRecipientEntity,
  IdempotencyKeyEntity,
  RevocationEntity,
  TopicSubscriptionEntity,
  PreferencesEntity,
  InAppRuleEntity,
  ChannelOutboxEntity,
  ChannelAttemptEntity,
  PushSubscriptionEntity,
  UserContactEntity,
  WebhookEventEntity,
  SnoozeEntity,
  TenantEntity,
  CursorMarkEntity,
];

/** The entity classes, with the table of each (what `@Entity()` names). */
const ENTITY_TABLES: ReadonlyArray<[entity: new () => object, table: string]> = [
  [NotificationEntity, 'notifications'],
  [NotificationRecipientEntity, 'notification_recipients'],
  [IdempotencyKeyEntity, 'notification_idempotency_keys'],
  [RevocationEntity, 'notification_revocations'],
  [TopicSubscriptionEntity, 'notification_topic_subscriptions'],
  [PreferencesEntity, 'notification_preferences'],
  [InAppRuleEntity, 'notification_in_app_rules'],
  [ChannelOutboxEntity, 'notification_outbox'],
  [ChannelAttemptEntity, 'notification_channel_attempts'],
  [PushSubscriptionEntity, 'notification_push_subscriptions'],
  [UserContactEntity, 'notification_user_contacts'],
  [WebhookEventEntity, 'notification_webhook_events'],
  [SnoozeEntity, 'notification_snoozes'],
  [TenantEntity, 'notification_tenants'],
  [CursorMarkEntity, 'notification_cursor_marks'],
];
/** The entities (by table) that belong to a notification: each relation points at the renamed notification entity. */
const BELONGING_TO_NOTIFICATION = [
  'notification_recipients',
  'notification_outbox',
  'notification_channel_attempts',
  'notification_snoozes',
];
const renamedEntities = new Map<string, Array<new () => object>>();

/**
 * The module's entities for tables named with `tables` (the same option the module gets):
 * each entity subclassed onto its renamed table. Without options, NOTIFICATIONS_ENTITIES.
 */
export function notificationsEntities(tables: NotificationsTableOptions = {}): Array<new () => object> {
  const naming = new TableNaming(tables);
  if (naming.isDefault) return NOTIFICATIONS_ENTITIES;
  const key = `${tables.schema ?? ''}.${tables.prefix ?? ''}`;
  let entities = renamedEntities.get(key);
  if (!entities) {
    entities = ENTITY_TABLES.map(([Base, table]) => {
      const Renamed = class extends Base {};
      Object.defineProperty(Renamed, 'name', { value: Base.name });
      Entity({ name: naming.tableName(table), schema: tables.schema })(Renamed);
      return Renamed;
    });
    // The relations point at the renamed notification entity, not at the default one.
    const [RenamedNotification] = entities;
    ENTITY_TABLES.forEach(([, table], index) => {
      if (!BELONGING_TO_NOTIFICATION.includes(table)) return;
      ManyToOne(() => RenamedNotification, { onDelete: 'CASCADE' })(entities![index].prototype, 'notification');
      JoinColumn({ name: 'notification_id' })(entities![index].prototype, 'notification');
    });
    renamedEntities.set(key, entities);
  }
  return entities;
}

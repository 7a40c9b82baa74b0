import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { NotificationRecipientEntity } from './notification-recipient.entity';
import { NotificationEntity } from './notification.entity';
import { RevocationEntity } from './revocation.entity';
import { TopicSubscriptionEntity } from './topic-subscription.entity';

export { IdempotencyKeyEntity, NotificationEntity, NotificationRecipientEntity, RevocationEntity, TopicSubscriptionEntity };

/** Every entity of the module: add them to the host's DataSource `entities`. */
export const NOTIFICATIONS_ENTITIES = [
  NotificationEntity,
  NotificationRecipientEntity,
  IdempotencyKeyEntity,
  RevocationEntity,
  TopicSubscriptionEntity,
];

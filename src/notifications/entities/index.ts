import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { NotificationRecipientEntity } from './notification-recipient.entity';
import { NotificationEntity } from './notification.entity';
import { TopicSubscriptionEntity } from './topic-subscription.entity';

export { IdempotencyKeyEntity, NotificationEntity, NotificationRecipientEntity, TopicSubscriptionEntity };

/** Every entity of the module: add them to the host's DataSource `entities`. */
export const NOTIFICATIONS_ENTITIES = [NotificationEntity, NotificationRecipientEntity, IdempotencyKeyEntity, TopicSubscriptionEntity];

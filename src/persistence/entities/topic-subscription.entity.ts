import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A user subscribed to a topic: a send to the topic reaches them. */
@Entity('notification_topic_subscriptions')
@Index('idx_notification_topic_subscriptions_user', ['userId'])
export class TopicSubscriptionEntity {
  /** The topic's key: its name, qualified by its tenant with tenancy (255: migration 1765900000000). */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  topic: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;
}

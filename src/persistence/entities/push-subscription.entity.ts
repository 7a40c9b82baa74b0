import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A browser's Web Push subscription (PushSubscription.toJSON()), for one user. */
@Entity('notification_push_subscriptions')
@Index('idx_notification_push_subscriptions_user', ['userId'])
export class PushSubscriptionEntity {
  /** The push service's URL for this browser: it names the subscription. */
  @PrimaryColumn({ type: 'varchar', length: 2048 })
  endpoint: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  /** The browser's P-256 public key, base64url. */
  @Column({ type: 'varchar', length: 100 })
  p256dh: string;

  /** The browser's 16-byte authentication secret, base64url. */
  @Column({ type: 'varchar', length: 50 })
  auth: string;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { NotificationEntity } from './notification.entity';

/** One try of a channel for a notification and user, kept for the deliveries route and health. */
@Entity('notification_channel_attempts')
// Health reads a channel's latest attempts.
@Index('idx_notification_channel_attempts_channel', ['channel', 'id'])
@Index('idx_notification_channel_attempts_notification', ['notificationId'])
// A user's data is exported and erased through it (migration 1765550000000).
@Index('idx_notification_channel_attempts_user', ['userId', 'id'])
export class ChannelAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: number;

  @Column({ name: 'notification_id', type: 'varchar', length: 36 })
  notificationId: string;

  @ManyToOne(() => NotificationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notification_id' })
  notification?: NotificationEntity;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'varchar', length: 40 })
  channel: string;

  /** 1 for the first try. */
  @Column({ type: 'integer' })
  attempt: number;

  @Column({ type: 'varchar', length: 24 })
  at: string;

  /** sent, failed or skipped. */
  @Column({ type: 'varchar', length: 7 })
  outcome: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}

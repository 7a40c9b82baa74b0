import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NotificationEntity } from './notification.entity';

/**
 * A snoozed inbox entry, out of `notification_recipients` until `until` (migration
 * 1765800000000): the scheduled-delivery worker then deletes it and puts the notification back
 * in the user's inbox as a new entry, in one transaction.
 */
@Entity('notification_snoozes')
// The release reads what is due, soonest first.
@Index('idx_notification_snoozes_due', ['until'])
// The export and the erasure read a user's snoozes.
@Index('idx_notification_snoozes_user', ['userId', 'notificationId'])
export class SnoozeEntity {
  @PrimaryColumn({ name: 'notification_id', type: 'varchar', length: 36 })
  notificationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @ManyToOne(() => NotificationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notification_id' })
  notification?: NotificationEntity;

  /** When it comes back (ISO 8601 UTC). */
  @Column({ type: 'varchar', length: 24 })
  until: string;

  @Column({ name: 'snoozed_at', type: 'varchar', length: 24 })
  snoozedAt: string;

  /** Copied from the notification: one that expires before `until` never comes back. */
  @Column({ name: 'expires_at', type: 'varchar', length: 24, nullable: true })
  expiresAt: string | null;
}

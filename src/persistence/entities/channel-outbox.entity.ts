import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { NotificationEntity } from './notification.entity';

/**
 * The plan of a channel beyond the socket for one notification and user, written in the
 * send's transaction (migration 1765500000000): pending until its `due_at`, then sent,
 * failed after its retries, skipped, or cancelled by an ack or read that came first.
 */
@Entity('notification_outbox')
// At most one plan per notification, user and channel: the database enforces "at most once".
@Index('uq_notification_outbox_plan', ['notificationId', 'userId', 'channel'], { unique: true })
// The worker reads only what is still to do, earliest first.
@Index('idx_notification_outbox_due', ['dueAt'], { where: `"status" = 'pending'` })
// A user's data is exported and erased through it (migration 1765550000000).
@Index('idx_notification_outbox_user', ['userId', 'id'])
export class ChannelOutboxEntity {
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

  /** `delivered` or `read`: which change to the inbox row cancels the plan while it waits. */
  @Column({ name: 'cancel_when', type: 'varchar', length: 9 })
  cancelWhen: string;

  /** When it was first due: the latency of a send is measured from here. */
  @Column({ name: 'planned_at', type: 'varchar', length: 24 })
  plannedAt: string;

  /** When it is due next: the plan, a retry, or the end of quiet hours. */
  @Column({ name: 'due_at', type: 'varchar', length: 24 })
  dueAt: string;

  /** pending, sent, failed, skipped or cancelled. */
  @Column({ type: 'varchar', length: 9, default: 'pending' })
  status: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Why it failed last, or why it was skipped or cancelled. */
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  /** While a node sends it: no other node claims it before then (a node that dies lets it go). */
  @Column({ name: 'claimed_until', type: 'varchar', length: 24, nullable: true })
  claimedUntil: string | null;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt: string;
}

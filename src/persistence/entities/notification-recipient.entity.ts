import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { NotificationEntity } from './notification.entity';

/**
 * A notification in one user's inbox. `cursor` orders the user's inbox: on SQLite rows are
 * written through one writer at a time; on PostgreSQL a send holds a per-user lock from
 * before its insert until its commit (NotificationsStore.insertRecipients). Either way a
 * later cursor of a user is never committed before an earlier one.
 * bigint on PostgreSQL; on SQLite the migration keeps `integer`, SQLite's (64-bit) rowid key.
 */
@Entity('notification_recipients')
// Led by the (time-ordered) notification id: a send appends to it (migration 1764400000000).
@Index('uq_notification_recipients_notification_user', ['notificationId', 'userId'], { unique: true })
@Index('idx_notification_recipients_user_cursor', ['userId', 'cursor'])
// Unread and unseen counts, the counts by type and topic, and pages of unread ones read only the
// user's unread rows, in cursor order, without a lookup per row (migrations 1764200000000,
// 1765600000000 and 1766000000000).
@Index('idx_notification_recipients_unread', ['userId', 'cursor', 'seenAt', 'expiresAt', 'type', 'topic', 'readAt', 'archivedAt'], {
  where: '"read_at" IS NULL AND "archived_at" IS NULL',
})
// A page of one type, or of one type on a topic, in any state walks that user's rows of it in
// that state in cursor order: (user, type, inbox state, cursor) and (user, topic, type, inbox
// state, cursor), the state an expression, which TypeORM cannot declare; migrations
// 1766000000000, 1766100000000 and 1766300000000 create them.
@Index('idx_notification_recipients_type', { synchronize: false })
@Index('idx_notification_recipients_topic', { synchronize: false })
// Only archived rows: a send never writes to it (migration 1765600000000).
@Index('idx_notification_recipients_archived', ['userId', 'cursor'], { where: '"archived_at" IS NOT NULL' })
@Index('idx_notification_recipients_undelivered', ['userId', 'cursor'], {
  where: '"delivered_at" IS NULL AND "archived_at" IS NULL',
})
// A grouped send finds the user's row of the same key; rows without a key stay out (migration 1765700000000).
@Index('idx_notification_recipients_group', ['userId', 'groupKey'], { where: '"group_key" IS NOT NULL' })
export class NotificationRecipientEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  cursor: number;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'notification_id', type: 'varchar', length: 36 })
  notificationId: string;

  @ManyToOne(() => NotificationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notification_id' })
  notification?: NotificationEntity;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;

  /** Copied from the notification so inbox queries filter expiry without a join. */
  @Column({ name: 'expires_at', type: 'varchar', length: 24, nullable: true })
  expiresAt: string | null;

  /** Copied from the notification (it never changes) so filtered pages and counts need no join. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  type: string | null;

  /** Copied from the notification, as `type` is. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  topic: string | null;

  /** Set by the first `ack` from any of the user's sessions. */
  @Column({ name: 'delivered_at', type: 'varchar', length: 24, nullable: true })
  deliveredAt: string | null;

  @Column({ name: 'read_at', type: 'varchar', length: 24, nullable: true })
  readAt: string | null;

  /** When the user first saw it (the bell opened); a read notification counts as seen without it. */
  @Column({ name: 'seen_at', type: 'varchar', length: 24, nullable: true })
  seenAt: string | null;

  /** Archived rows are gone from lists, counts and replay. */
  @Column({ name: 'archived_at', type: 'varchar', length: 24, nullable: true })
  archivedAt: string | null;

  /** The notification's groupKey, copied so a grouped send finds the row without a join. */
  @Column({ name: 'group_key', type: 'varchar', length: 100, nullable: true })
  groupKey: string | null;

  /** How many sends of its key this row stands for: the replaced row's count + 1. */
  @Column({ name: 'group_count', type: 'integer', default: 1 })
  groupCount: number;

  /** The notification this row replaced (archived) in the same inbox. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  replaces: string | null;

  /** The action the user took on it, once (POST /notifications/:id/actions/:actionId). */
  @Column({ name: 'action_id', type: 'varchar', length: 40, nullable: true })
  actionId: string | null;

  @Column({ name: 'actioned_at', type: 'varchar', length: 24, nullable: true })
  actionedAt: string | null;
}

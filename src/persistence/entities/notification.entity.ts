import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One notification as sent: its content, shared by every recipient. */
@Entity('notifications')
// Partial indexes: a plain send touches none of them (migration 1764200000000).
@Index('idx_notifications_broadcasts', ['expiresAt'], { where: `"audience" = 'broadcast'` })
@Index('idx_notifications_held', ['deliverAt'], { where: '"pending_audience" IS NOT NULL' })
@Index('idx_notifications_expiring', ['expiresAt'], { where: '"expires_at" IS NOT NULL' })
// A sender's held sends in the order GET /notifications/scheduled lists them (migration 1765200000000).
@Index('idx_notifications_held_by_sender', ['senderId', 'deliverAt', 'id'], { where: '"pending_audience" IS NOT NULL' })
// The audit and erasure find a sender's notifications by it (migration 1765300000000).
@Index('idx_notifications_sender', ['senderId', 'id'], { where: '"sender_id" IS NOT NULL' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  /** text: at most 200 characters as sent, longer as stored on PostgreSQL (migration 1764300000000). */
  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** JSON text: stored verbatim, parsed when read. */
  @Column({ type: 'text', nullable: true })
  data: string | null;

  @Column({ type: 'varchar', length: 6, default: 'normal' })
  priority: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  topic: string | null;

  @Column({ name: 'sender_id', type: 'varchar', length: 255, nullable: true })
  senderId: string | null;

  /** ISO-8601 UTC timestamps throughout: they compare correctly as text on every engine. */
  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 24, nullable: true })
  expiresAt: string | null;

  /** `users`, `topic` or `broadcast` (one row for a broadcast, whatever its reach). */
  @Column({ type: 'varchar', length: 9, default: 'users' })
  audience: string;

  /** When a scheduled notification is due; null when it was sent at once. */
  @Column({ name: 'deliver_at', type: 'varchar', length: 24, nullable: true })
  deliverAt: string | null;

  /** The audience (JSON) a scheduled notification will reach when due; null once released. */
  @Column({ name: 'pending_audience', type: 'text', nullable: true })
  pendingAudience: string | null;

  /** 1 for a `critical: true` send, which reaches users whatever their preferences (smallint 0/1 on both engines). */
  @Column({ type: 'smallint', default: 0 })
  critical: number;

  /** The actions (JSON array), or null for none (migration 1765700000000). */
  @Column({ type: 'text', nullable: true })
  actions: string | null;

  /** A later send with the same key replaces this one in an inbox where it is still unread. */
  @Column({ name: 'group_key', type: 'varchar', length: 100, nullable: true })
  groupKey: string | null;

  /** The tenant it belongs to, '' without tenancy (migration 1765900000000): broadcasts are read by it. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 100, default: '' })
  tenantId: string;
}

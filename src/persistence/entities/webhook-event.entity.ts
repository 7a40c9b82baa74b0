import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A lifecycle event waiting to be POSTed to the webhook, or that failed for good. Deleted once sent. */
@Entity('notification_webhook_events')
@Index('idx_notification_webhook_events_due', ['dueAt'], { where: `"status" = 'pending'` })
export class WebhookEventEntity {
  /** The `webhook-id` header: the same on every retry, so the receiver can drop repeats. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  type: string;

  /** The JSON body, exactly as signed and sent. */
  @Column({ type: 'text' })
  payload: string;

  /** pending or failed. */
  @Column({ type: 'varchar', length: 9, default: 'pending' })
  status: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'due_at', type: 'varchar', length: 24 })
  dueAt: string;

  @Column({ name: 'claimed_until', type: 'varchar', length: 24, nullable: true })
  claimedUntil: string | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The first answer to a `POST /notifications` with an `Idempotency-Key`, per sender. */
@Entity('notification_idempotency_keys')
// The sweep of keys past the window reads them oldest first (migration 1764500000000).
@Index('idx_notification_idempotency_keys_created_at', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'sender_id', type: 'varchar', length: 255 })
  senderId: string;

  @PrimaryColumn({ name: 'key', type: 'varchar', length: 255 })
  key: string;

  /** The JSON response that repeats of this key receive. */
  @Column({ type: 'text' })
  response: string;

  @Column({ name: 'created_at', type: 'varchar', length: 24 })
  createdAt: string;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's access was revoked: tokens issued at or before `revokedBefore` are refused. */
@Entity('notification_revocations')
export class RevocationEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  /** ISO-8601 time of the latest revocation. */
  @Column({ name: 'revoked_before', type: 'varchar', length: 24 })
  revokedBefore: string;
}

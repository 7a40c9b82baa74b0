import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The `email` claim of a user's token as last seen, for the email channel. */
@Entity('notification_user_contacts')
export class UserContactEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 24 })
  updatedAt: string;
}

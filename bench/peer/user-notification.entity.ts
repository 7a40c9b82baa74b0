import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Notification } from './notification.entity';

/** One recipient's copy of a notification; its generated id is the recipient's cursor. */
@Entity()
export class UserNotification {
  @PrimaryGeneratedColumn()
  cursor: number;

  @Index()
  @Column()
  userId: string;

  @Column()
  notificationId: string;

  @ManyToOne(() => Notification)
  @JoinColumn({ name: 'notificationId' })
  notification: Notification;

  @Column({ type: 'datetime', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'datetime', nullable: true })
  readAt: Date | null;
}

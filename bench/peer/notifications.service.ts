import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { CreateNotificationDto } from './create-notification.dto';
import { Notification } from './notification.entity';
import { NotificationsGateway } from './notifications.gateway';
import { UserNotification } from './user-notification.entity';

@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(UserNotification) private readonly userNotifications: Repository<UserNotification>,
    @Inject(forwardRef(() => NotificationsGateway)) private readonly gateway: NotificationsGateway,
  ) {}

  async send(dto: CreateNotificationDto) {
    const notification = await this.notifications.save(
      this.notifications.create({ type: dto.type, title: dto.title, body: dto.body ?? null, data: dto.data ?? null }),
    );
    let online = 0;
    for (const userId of dto.userIds) {
      const userNotification = await this.userNotifications.save(this.userNotifications.create({ userId, notification }));
      if (this.gateway.sendToUser(userId, this.toView(userNotification, notification))) online++;
    }
    return { id: notification.id, recipients: dto.userIds.length, online };
  }

  countUnread(userId: string) {
    return this.userNotifications.count({ where: { userId, readAt: IsNull() } });
  }

  async findUndelivered(userId: string) {
    const rows = await this.userNotifications.find({
      where: { userId, deliveredAt: IsNull() },
      relations: { notification: true },
      order: { cursor: 'ASC' },
    });
    return rows.map((row) => this.toView(row, row.notification));
  }

  async markDelivered(userId: string, ids: string[]) {
    const rows = await this.userNotifications.find({
      where: { userId, notificationId: In(ids), deliveredAt: IsNull() },
    });
    for (const row of rows) row.deliveredAt = new Date();
    await this.userNotifications.save(rows);
  }

  private toView(row: UserNotification, notification: Notification) {
    return {
      id: notification.id,
      cursor: String(row.cursor),
      type: notification.type,
      title: notification.title,
      body: notification.body,
      data: notification.data,
      priority: 'normal',
      topic: null,
      createdAt: notification.createdAt,
      expiresAt: null,
      deliveredAt: row.deliveredAt,
      readAt: row.readAt,
    };
  }
}

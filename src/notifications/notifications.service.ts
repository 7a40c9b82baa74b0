import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DeliveryBus, NotificationDelivery } from './delivery-bus';
import { InvalidNotificationException } from './invalid-notification.exception';
import { NotificationContent, NotificationPriority, NotificationView } from './notification.view';
import { InboxPosition, NotificationsStore } from './notifications.store';
import { UnitOfWork } from './unit-of-work';

/** What a sender provides. Limits are enforced by the REST DTO; host code is trusted. */
export interface SendNotificationInput {
  userIds: readonly string[];
  type: string;
  title: string;
  body?: string | null;
  data?: Record<string, unknown> | null;
  priority?: NotificationPriority;
  /** After this many seconds the notification is no longer delivered, listed or counted. */
  ttlSeconds?: number;
}

export interface SendOptions {
  /** The sending user (`sub`), or null for the host application itself. */
  senderId?: string | null;
  /** A repeat of the same key by the same sender within 24 h returns the first result. */
  idempotencyKey?: string;
}

/** The answer to a send: `recipients` users got it in their inbox, `online` of them were connected. */
export interface SendResult {
  id: string;
  recipients: number;
  online: number;
}

export interface ListOptions {
  limit: number;
  beforeCursor?: string;
  unreadOnly?: boolean;
}

export interface NotificationPage {
  items: NotificationView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The inbox rules: send, list, count, read, archive, acknowledge. Used by the REST
 * controllers, the WebSocket gateway and host code alike. It never touches sockets: after
 * each change commits it publishes a delivery, and the transport puts it on the wire.
 */
@Injectable()
export class NotificationsService {
  private readonly store = new NotificationsStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
  ) {}

  /** Stores a notification in every recipient's inbox and delivers it to those online. */
  async send(input: SendNotificationInput, options: SendOptions = {}): Promise<SendResult> {
    const userIds = [...new Set(input.userIds)];
    if (userIds.length === 0) throw new InvalidNotificationException('userIds must name at least one user');
    const now = Date.now();
    const content: NotificationContent = {
      id: randomUUID(),
      type: input.type,
      title: input.title,
      body: input.body ?? null,
      data: input.data ?? null,
      priority: input.priority ?? 'normal',
      topic: null,
      createdAt: new Date(now).toISOString(),
      expiresAt: input.ttlSeconds ? new Date(now + input.ttlSeconds * 1000).toISOString() : null,
    };
    const senderKey = options.senderId ?? '';
    const { idempotencyKey } = options;
    const online = await this.bus.onlineAmong(userIds);
    let delivery: NotificationDelivery | undefined;

    return this.unitOfWork.write(
      async (manager) => {
        if (idempotencyKey !== undefined) {
          const notBefore = new Date(now - IDEMPOTENCY_WINDOW_MS).toISOString();
          const first = await this.store.findIdempotentResponse(manager, senderKey, idempotencyKey, notBefore);
          if (first) return first as SendResult;
        }
        await this.store.insertNotification(manager, content, options.senderId ?? null);
        const recipients = await this.store.insertRecipients(manager, content, userIds);
        const unread = online.size > 0 ? await this.store.countUnread(manager, [...online], content.createdAt) : null;
        delivery = {
          kind: 'notification',
          notification: content,
          recipients: recipients.map(({ userId, cursor, previousCursor }) => ({
            userId,
            cursor,
            previousCursor,
            unreadCount: unread && online.has(userId) ? (unread.get(userId) ?? 0) : undefined,
          })),
        };
        const result: SendResult = { id: content.id, recipients: recipients.length, online: online.size };
        if (idempotencyKey !== undefined) {
          await this.store.saveIdempotentResponse(manager, senderKey, idempotencyKey, result, content.createdAt);
        }
        return result;
      },
      () => delivery && this.bus.publish(delivery),
    );
  }

  /** One page of the user's inbox, newest first. */
  async list(userId: string, options: ListOptions): Promise<NotificationPage> {
    const position: InboxPosition = { beforeCursor: options.beforeCursor, unreadOnly: options.unreadOnly };
    const items = await this.unitOfWork.read((manager) =>
      this.store.readInbox(manager, userId, position, options.limit + 1, 'descending', this.now()),
    );
    const hasMore = items.length > options.limit;
    if (hasMore) items.length = options.limit;
    return { items, nextCursor: hasMore ? items[items.length - 1].cursor : null };
  }

  /** A page of the user's inbox oldest first, as a reconnecting session replays it. */
  async readBacklog(userId: string, position: InboxPosition, limit: number): Promise<NotificationView[]> {
    return this.unitOfWork.read((manager) =>
      this.store.readInbox(manager, userId, position, limit, 'ascending', this.now()),
    );
  }

  async unreadCount(userId: string): Promise<number> {
    const counts = await this.unitOfWork.read((manager) => this.store.countUnread(manager, [userId], this.now()));
    return counts.get(userId) ?? 0;
  }

  /** Marks the user's notifications read; returns how many were unread. */
  async markRead(userId: string, ids: readonly string[]): Promise<number> {
    return this.changeUnread(userId, async (manager, now) => {
      const changed = await this.store.markRead(manager, userId, ids, now);
      return { result: changed, changed: changed > 0 };
    });
  }

  /** Marks one notification read; false when the user has no such notification. */
  async markOneRead(userId: string, id: string): Promise<boolean> {
    return this.changeUnread(userId, async (manager, now) => {
      const changed = await this.store.markRead(manager, userId, [id], now);
      const found = changed > 0 || (await this.store.hasNotification(manager, userId, id, now));
      return { result: found, changed: changed > 0 };
    });
  }

  /** Marks everything read; returns how many were unread. */
  async markAllRead(userId: string): Promise<number> {
    return this.changeUnread(userId, async (manager, now) => {
      const changed = await this.store.markRead(manager, userId, null, now);
      return { result: changed, changed: changed > 0 };
    });
  }

  /** Archives one notification (gone from lists and replay); false when the user has no such one. */
  async archive(userId: string, id: string): Promise<boolean> {
    return this.changeUnread(userId, async (manager, now) => {
      const found = await this.store.archive(manager, userId, id, now);
      return { result: found, changed: found };
    });
  }

  /** Records that the user received these notifications; they are no longer replayed without a cursor. */
  async acknowledge(userId: string, ids: readonly string[]): Promise<number> {
    return this.unitOfWork.write((manager) => this.store.markDelivered(manager, userId, ids, this.now()));
  }

  /**
   * Runs a change to the user's inbox and, when it may have moved the unread count,
   * publishes the new count to all of the user's sessions.
   */
  private async changeUnread<T>(
    userId: string,
    change: (manager: EntityManager, now: string) => Promise<{ result: T; changed: boolean }>,
  ): Promise<T> {
    let count: number | undefined;
    const { result } = await this.unitOfWork.write(
      async (manager) => {
        const now = this.now();
        const outcome = await change(manager, now);
        if (outcome.changed) count = (await this.store.countUnread(manager, [userId], now)).get(userId) ?? 0;
        return outcome;
      },
      () => count !== undefined && this.bus.publish({ kind: 'unread', userId, count }),
    );
    return result;
  }

  private now(): string {
    return new Date().toISOString();
  }
}

import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AckBatch, PendingAck } from './ack-batch';
import { NOTIFICATIONS_MODULE_OPTIONS } from '../notifications.module-definition';
import { NotificationsModuleOptions } from '../notifications.options';
import { AudienceSender } from './audience-sender';
import { BroadcastInbox } from './broadcast-inbox';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { DeliveryBus, NotificationDelivery } from './delivery-bus';
import { resolveAudience } from './notification-audience';
import { NotificationLifecycle } from './notification-lifecycle';
import {
  NotificationArchivedEvent,
  NotificationCreatedEvent,
  NotificationDeliveredEvent,
  NotificationReadEvent,
} from './notification-lifecycle.events';
import { NotificationContent, NotificationPriority, NotificationView } from './notification.view';
import { InboxPosition, NotificationsStore } from './notifications.store';
import { UnitOfWork } from './unit-of-work';
import { newNotificationId } from './notification-id';
import { IDEMPOTENCY_WINDOW_MS } from './idempotency-key';

/**
 * What a sender provides: exactly one audience (`userIds`, `topic` or `broadcast: true`).
 * Limits are enforced by the REST DTO; host code is trusted.
 */
export interface SendNotificationInput {
  userIds?: readonly string[];
  /** Every subscriber of this topic at send time (at `deliverAt` when scheduled). */
  topic?: string;
  /** Every user: connected ones now, others when they connect, until it expires. */
  broadcast?: boolean;
  /** Held (not listed, not sent) until this time; then delivered like a fresh send. */
  deliverAt?: string | Date;
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

/** How long acks gather before they are stored together, unless timing.ackBatchMs says otherwise. */
export const DEFAULT_ACK_BATCH_MS = 5;

/**
 * The inbox rules: send, list, count, read, archive, acknowledge. Used by the REST
 * controllers, the WebSocket gateway and host code alike. It never touches sockets: after
 * each change commits it publishes a delivery, and the transport puts it on the wire.
 */
@Injectable()
export class NotificationsService implements BeforeApplicationShutdown {
  private readonly store = new NotificationsStore();
  private readonly acks: AckBatch;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly audiences: AudienceSender,
    private readonly broadcasts: BroadcastInbox,
    private readonly lifecycle: NotificationLifecycle,
    @Optional() private readonly metrics?: NotificationsMetrics,
    @Optional() @Inject(NOTIFICATIONS_MODULE_OPTIONS) options?: NotificationsModuleOptions,
  ) {
    this.acks = new AckBatch((acks) => this.storeAcks(acks), options?.timing?.ackBatchMs ?? DEFAULT_ACK_BATCH_MS);
  }

  /** Stores a notification in every recipient's inbox and delivers it to those online. */
  async send(input: SendNotificationInput, options: SendOptions = {}): Promise<SendResult> {
    const audience = resolveAudience(input);
    if (audience.kind !== 'users' || input.deliverAt !== undefined) return this.audiences.send(input, audience, options);
    const { userIds } = audience;
    const now = Date.now();
    const content: NotificationContent = {
      id: newNotificationId(),
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

    const result = await this.unitOfWork.write(
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
    if (delivery) {
      const senderId = options.senderId ?? null;
      const created = new NotificationCreatedEvent(content, audience, result.recipients, result.online, senderId, null, false);
      this.lifecycle.created(created);
    }
    if (delivery) this.metrics?.notificationSent(result.recipients, result.online);
    return result;
  }

  /** One page of the user's inbox, newest first. */
  async list(userId: string, options: ListOptions): Promise<NotificationPage> {
    await this.broadcasts.catchUp(userId);
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
    return this.unitOfWork.read((manager) => this.store.readInbox(manager, userId, position, limit, 'ascending', this.now()));
  }

  /** The user's unread count; a session's replay asks it first, which catches up on missed broadcasts. */
  async unreadCount(userId: string): Promise<number> {
    await this.broadcasts.catchUp(userId);
    const counts = await this.unitOfWork.read((manager) => this.store.countUnread(manager, [userId], this.now()));
    return counts.get(userId) ?? 0;
  }

  /** Marks the user's notifications read; returns how many were unread. */
  async markRead(userId: string, ids: readonly string[]): Promise<number> {
    const count = await this.changeUnread(userId, async (manager, now) => {
      const changed = await this.store.markRead(manager, userId, ids, now);
      this.metrics?.notificationsRead(changed);
      return { result: changed, changed: changed > 0 };
    });
    this.lifecycle.read(new NotificationReadEvent(userId, ids, count));
    return count;
  }

  /** Marks one notification read; false when the user has no such notification. */
  async markOneRead(userId: string, id: string): Promise<boolean> {
    let count = 0;
    const found = await this.changeUnread(userId, async (manager, now) => {
      count = await this.store.markRead(manager, userId, [id], now);
      this.metrics?.notificationsRead(count);
      const found = count > 0 || (await this.store.hasNotification(manager, userId, id, now));
      return { result: found, changed: count > 0 };
    });
    this.lifecycle.read(new NotificationReadEvent(userId, [id], count));
    return found;
  }

  /** Marks everything read; returns how many were unread. */
  async markAllRead(userId: string): Promise<number> {
    const count = await this.changeUnread(userId, async (manager, now) => {
      const changed = await this.store.markRead(manager, userId, null, now);
      this.metrics?.notificationsRead(changed);
      return { result: changed, changed: changed > 0 };
    });
    this.lifecycle.read(new NotificationReadEvent(userId, null, count));
    return count;
  }

  /** Archives one notification (gone from lists and replay); false when the user has no such one. */
  async archive(userId: string, id: string): Promise<boolean> {
    const found = await this.changeUnread(userId, async (manager, now) => {
      const found = await this.store.archive(manager, userId, id, now);
      return { result: found, changed: found };
    });
    if (found) this.lifecycle.archived(new NotificationArchivedEvent(userId, id));
    return found;
  }

  /** Records that the user received these notifications; they are no longer replayed without a cursor. */
  /**
   * The acks of every session that arrive within a few milliseconds (timing.ackBatchMs) are
   * stored together, in one unit of work; the promise settles when that unit has committed.
   */
  acknowledge(userId: string, ids: readonly string[]): Promise<number> {
    return this.acks.add(userId, ids);
  }

  /** One batch of acks in one unit of work; each ack's count, in order. */
  private async storeAcks(acks: readonly PendingAck[]): Promise<number[]> {
    const counts = await this.unitOfWork.write((manager) => this.store.markDelivered(manager, acks, this.now()));
    acks.forEach(({ userId, ids }, index) => {
      this.lifecycle.delivered(new NotificationDeliveredEvent(userId, ids, counts[index]));
      this.metrics?.notificationsAcknowledged(counts[index]);
    });
    return counts;
  }

  /** Acks still gathering are stored before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.acks.flush();
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

import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { AckBatch, PendingAck } from './ack-batch';
import { ResolvedOptions } from '../config/resolved-options';
import { SendPipeline } from './send-pipeline';
import type { SendNotificationInput, SendOptions, SendResult } from './send-notification.input';
import { BroadcastInbox } from './broadcast-inbox';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { DeliveryBus } from '../delivery/delivery-bus';
import { NotificationLifecycle } from './notification-lifecycle';
import { NotificationArchivedEvent, NotificationDeliveredEvent, NotificationReadEvent } from './notification-lifecycle.events';
import { NotificationView } from '../model/notification.view';
import { InboxPosition, NotificationsStore } from '../persistence/notifications.store';
import type { OpeningState } from '../persistence/audience.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ScheduledNotificationPage, ScheduledNotificationView } from '../model/scheduled-notification';
import { ListScheduledOptions, ScheduledSends } from './scheduled-sends';
import { UserDataService } from '../user-data/user-data.service';
import { SentNotificationsAudit } from './sent-notifications-audit';
import { SentNotificationsPage, SentNotificationsQuery } from './sent-notifications.types';
import { UserDataExport } from '../user-data/user-data.types';
import type { NamedUser } from '../user-data/user-data-contributor';
import { InboxStates } from './inbox-states';
import { BulkFilter, InboxCounts, InboxFilter } from '../model/inbox-state';
import { ActionOutcome, InboxActions } from './inbox-actions';
import { idWithin, TenantOptions } from '../model/tenant-scope';
import { KeyUse, TenantKeys } from './tenant-keys';

export interface ListOptions extends InboxFilter, TenantOptions {
  limit: number;
  beforeCursor?: string;
}

export interface NotificationPage {
  items: NotificationView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/**
 * The inbox rules: send, list, count, read, archive, acknowledge. Used by the REST
 * controllers, the WebSocket gateway and host code alike. It never touches sockets: after
 * each change commits it publishes a delivery, and the transport puts it on the wire.
 *
 * Every method takes ids as their tenant names them, and the tenant in its last argument
 * (`{ tenantId }`, TenantOptions: required with tenancy, refused without), as `send` does; it
 * keys them here, once (tenant-keys.ts), and what it returns carries the plain ids again. Only
 * reading or changing what is stored never numbers a tenant: one never seen has nothing.
 * The controllers and the gateway call it the same way, with the principal's own id and tenant.
 * A refused call rejects (every method is async), storing nothing.
 */
@Injectable()
export class NotificationsService implements BeforeApplicationShutdown {
  private readonly store = new NotificationsStore();
  private readonly acks: AckBatch;
  private readonly scheduled: ScheduledSends;
  private readonly states: InboxStates;
  // Injected as a property, so that code constructing the service by hand (specs) needs no change.
  @Inject(UserDataService) private readonly userData!: UserDataService;
  @Inject(SentNotificationsAudit) private readonly sentAudit!: SentNotificationsAudit;
  @Inject(InboxActions) private readonly actions!: InboxActions;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly pipeline: SendPipeline,
    private readonly broadcasts: BroadcastInbox,
    private readonly lifecycle: NotificationLifecycle,
    options: ResolvedOptions,
    private readonly keys: TenantKeys,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {
    this.acks = new AckBatch((acks) => this.storeAcks(acks), options.timing.ackBatchMs);
    this.scheduled = new ScheduledSends(unitOfWork, lifecycle, keys);
    this.states = new InboxStates(unitOfWork, bus, broadcasts, metrics);
  }

  /** Stores a notification in every recipient's inbox and delivers it to those online (SendPipeline). */
  send(input: SendNotificationInput, options: SendOptions = {}): Promise<SendResult> {
    return this.pipeline.send(input, options);
  }

  /**
   * The sender's held sends (`deliverAt` in the future), soonest first. `senderId` is the
   * `senderId` the sends were made with (a token's `sub` over REST; null for host code that
   * sent without one, in the tenant of `options.tenantId`). Another sender's held sends, and
   * another tenant's, are never listed.
   */
  listScheduled(senderId: string | null, options: ListScheduledOptions = {}): Promise<ScheduledNotificationPage> {
    return this.scheduled.list(senderId, options);
  }

  /** Moves the sender's held send to `deliverAt` (in the future); undefined once released, cancelled, or not theirs. */
  reschedule(
    senderId: string | null,
    id: string,
    deliverAt: string,
    tenant: TenantOptions = {},
  ): Promise<ScheduledNotificationView | undefined> {
    return this.scheduled.reschedule(senderId, id, deliverAt, tenant);
  }

  /** Cancels the sender's held send; false once released, cancelled, or not theirs. Never released after this returns true. */
  cancelScheduled(senderId: string | null, id: string, tenant: TenantOptions = {}): Promise<boolean> {
    return this.scheduled.cancel(senderId, id, tenant);
  }

  /** One page of the user's inbox, newest first. */
  async list(userId: string, options: ListOptions): Promise<NotificationPage> {
    const userKey = await this.keyOf(userId, options);
    await this.broadcasts.catchUp(userKey);
    const { limit: _limit, beforeCursor, tenantId: _tenantId, ...filter } = options;
    const position: InboxPosition = { beforeCursor, filter };
    const items = await this.unitOfWork.read((manager) =>
      this.store.readInbox(manager, userKey, position, options.limit + 1, 'descending', this.now()),
    );
    const hasMore = items.length > options.limit;
    if (hasMore) items.length = options.limit;
    return { items, nextCursor: hasMore ? items[items.length - 1].cursor : null };
  }

  /** A page of the user's inbox oldest first, as a reconnecting session replays it. */
  async readBacklog(userId: string, position: InboxPosition, limit: number, tenant: TenantOptions = {}): Promise<NotificationView[]> {
    const userKey = await this.keyOf(userId, tenant);
    return this.unitOfWork.read((manager) => this.store.readInbox(manager, userKey, position, limit, 'ascending', this.now()));
  }

  /**
   * What a session's replay asks first, in one read: the unread count and the latest cursor,
   * after catching up on missed broadcasts.
   */
  async opening(userId: string, tenant: TenantOptions = {}): Promise<OpeningState> {
    return this.broadcasts.opening(await this.keyOf(userId, tenant));
  }

  /** The user's unread count, after catching up on missed broadcasts. */
  async unreadCount(userId: string, tenant: TenantOptions = {}): Promise<number> {
    return (await this.states.unreadCounts(await this.keyOf(userId, tenant))).count;
  }

  /** The user's unread and unseen counts, and the unread by type and by topic (`GET /notifications/counts`). */
  async counts(userId: string, tenant: TenantOptions = {}): Promise<InboxCounts> {
    return this.states.counts(await this.keyOf(userId, tenant));
  }

  /** Marks the user's notifications read; returns how many were unread. */
  async markRead(userId: string, ids: readonly string[], tenant: TenantOptions = {}): Promise<number> {
    const userKey = await this.keyOf(userId, tenant);
    const count = await this.states.markRead(userKey, ids);
    this.lifecycle.read(new NotificationReadEvent(userKey, ids, count));
    return count;
  }

  /** Marks one notification read; false when the user has no such notification. */
  async markOneRead(userId: string, id: string, tenant: TenantOptions = {}): Promise<boolean> {
    const userKey = await this.keyOf(userId, tenant);
    const { found, count } = await this.states.markOneRead(userKey, id);
    this.lifecycle.read(new NotificationReadEvent(userKey, [id], count));
    return found;
  }

  /** Marks everything read (only the type and topic the filter names, if any); returns how many were unread. */
  async markAllRead(userId: string, options: BulkFilter & TenantOptions = {}): Promise<number> {
    const { tenantId: _tenantId, ...filter } = options;
    const userKey = await this.keyOf(userId, options);
    const { ids, count } = await this.states.readAll(userKey, filter);
    this.lifecycle.read(new NotificationReadEvent(userKey, ids, count));
    return count;
  }

  /**
   * Marks notifications seen (the bell was opened; seen is not read): these ids, or all when
   * `ids` is null. Returns how many were newly seen. Ids the user does not have are passed
   * over; `{ requireOwned: true }` makes them refuse the whole change, naming the first.
   */
  async markSeen(userId: string, ids: readonly string[] | null, options: { requireOwned?: boolean } & TenantOptions = {}) {
    return this.states.markSeen(await this.keyOf(userId, options), ids, options.requireOwned);
  }

  /** Counts a notification unread again (it stays seen); false when the user has no such notification. */
  async markUnread(userId: string, id: string, tenant: TenantOptions = {}): Promise<boolean> {
    return this.states.markUnread(await this.keyOf(userId, tenant), id);
  }

  /** Archives one notification (gone from lists and replay); false when the user has no such one. */
  async archive(userId: string, id: string, tenant: TenantOptions = {}): Promise<boolean> {
    const userKey = await this.keyOf(userId, tenant);
    const found = await this.states.archive(userKey, id);
    if (found) this.lifecycle.archived(new NotificationArchivedEvent(userKey, id));
    return found;
  }

  /** Brings an archived notification back; false when the user has no such one. */
  async unarchive(userId: string, id: string, tenant: TenantOptions = {}): Promise<boolean> {
    return this.states.unarchive(await this.keyOf(userId, tenant), id);
  }

  /** Archives every notification (only those the filter names, if any); returns how many. */
  async archiveAll(userId: string, options: BulkFilter & TenantOptions = {}): Promise<number> {
    const { tenantId: _tenantId, ...filter } = options;
    const userKey = await this.keyOf(userId, options);
    const { ids, count } = await this.states.archiveAll(userKey, filter);
    for (const id of ids ?? []) this.lifecycle.archived(new NotificationArchivedEvent(userKey, id));
    return count;
  }

  /**
   * The user takes one of the notification's actions: recorded once, marking it read, and
   * emitted as `notifications.actioned`; the same action again answers the same.
   */
  async takeAction(userId: string, id: string, actionId: string, tenant: TenantOptions = {}): Promise<ActionOutcome> {
    return this.actions.take(await this.keyOf(userId, tenant), id, actionId);
  }

  /**
   * The audit of sends (`GET /notifications/sent`): newest first, with each one's recipient
   * counts. With tenancy, the sends of `query.tenantId` only, `senderId` one of its senders.
   */
  listSent(query: SentNotificationsQuery): Promise<SentNotificationsPage> {
    return this.sentAudit.list(query);
  }

  /** Everything the module stores about the user (`GET /users/:userId/data`); empty sections for a stranger. */
  async exportUserData(userId: string, tenant: TenantOptions = {}): Promise<UserDataExport> {
    const data = await this.userData.export(await this.keyOf(userId, tenant), this.named(userId, tenant));
    // The ids as the tenant names them: its qualified keys never leave the module.
    const own = (key: string) => idWithin(tenant.tenantId, key);
    return { ...data, userId, topicSubscriptions: data.topicSubscriptions.map((row) => ({ ...row, topic: own(row.topic) })) };
  }

  /**
   * Erases everything the module stores about the user (`DELETE /users/:userId/data`): their
   * sessions close with 4403 on every node and their tokens issued up to now are refused.
   */
  async eraseUserData(userId: string, tenant: TenantOptions = {}): Promise<void> {
    // The erasure revokes the user's tokens, a row to store: a tenant never seen is numbered for it.
    return this.userData.erase(await this.keyOf(userId, tenant, 'write'), this.named(userId, tenant));
  }

  /**
   * Records that the user received these notifications; they are no longer replayed without a
   * cursor. The acks of every session that arrive within a few milliseconds (timing.ackBatchMs)
   * are stored together; the promise settles when they have committed.
   */
  async acknowledge(userId: string, ids: readonly string[], tenant: TenantOptions = {}): Promise<number> {
    const userKey = this.keyOf(userId, tenant);
    // Keyed at once (the tenant known here, as nearly always): the ack joins the batch now, before a shutdown's flush.
    return this.acks.add(typeof userKey === 'string' ? userKey : await userKey, ids);
  }

  /** One batch of acks, one statement on PostgreSQL (no BEGIN and COMMIT); each ack's count, in order. */
  private async storeAcks(acks: readonly PendingAck[]): Promise<number[]> {
    const counts = await this.unitOfWork.writeStatement((manager) => this.store.markDelivered(manager, acks, this.now()));
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

  /** The user as the module keys them: the id checked, then keyed in the call's tenant (for reading, unless told). */
  private keyOf(userId: string, tenant: TenantOptions, use: KeyUse = 'read'): string | Promise<string> {
    return this.keys.userKey(userId, tenant, use);
  }

  /** With tenancy, the user as events (and webhook payloads) name them. */
  private named(userId: string, tenant: TenantOptions): NamedUser | undefined {
    return tenant.tenantId === undefined ? undefined : { userId, tenantId: tenant.tenantId };
  }

  private now(): string {
    return new Date().toISOString();
  }
}

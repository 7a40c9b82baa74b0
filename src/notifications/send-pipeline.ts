import { Inject, Injectable, Optional } from '@nestjs/common';
import type { UnreadCounts } from '../model/inbox-state';
import { EntityManager } from 'typeorm';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { AudienceStore } from '../persistence/audience.store';
import { DeliveryBus, DeliveryMessage, liveRecipient } from '../delivery/delivery-bus';
import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { NotificationAudience, resolveAudience } from '../model/notification-audience';
import { NotificationCreatedEvent, NotificationReleasedEvent } from './notification-lifecycle.events';
import { NotificationLifecycle } from './notification-lifecycle';
import { NotificationContent } from '../model/notification.view';
import type { SendNotificationInput, SendOptions, SendResult } from './send-notification.input';
import { NotificationsStore, StoredRecipient } from '../persistence/notifications.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { storeDirectSend } from '../persistence/direct-send.postgres';
import { buildContent } from './notification-content';
import { recordSuppressed } from '../persistence/notification-row';
import { ScopedSend, scopeSend } from './tenant-audience';
import { TenantKeys } from './tenant-keys';
import { IDEMPOTENCY_WINDOW_MS } from '../model/idempotency-key';
import { ResolvedOptions } from '../config/resolved-options';
import { OutboxStore, outboxInsert } from '../persistence/outbox.store';
import { FallbackPolicy } from './fallback-policy';
import { onlineUsersOf, outboxPlansFor } from './channel-plans';
import { checkActionsAndGroup } from './actions-and-group-check';
import { emptyFanOut, FanOut, inboxEntries, sendResult } from './fan-out';

/** What a send answers, and the fan-out it published (none when a repeated key found the first answer). */
interface Stored {
  sent: SendResult;
  fanOut: FanOut | undefined;
}

/**
 * Every send, whatever its audience, goes down this one line: the content is built, then in
 * one unit of work the idempotency key is checked, the notification stored and put in its
 * audience's inboxes (or held until `deliverAt`) and the key's answer saved; once that
 * commits the deliveries are published to the bus, which hands them to the sessions. On
 * PostgreSQL a send to users without a key runs the same statements in one round trip.
 *
 * Memory and statement count are bounded per 500 recipients: a topic's subscribers are copied
 * into inboxes a page at a time by INSERT … SELECT, and only online recipients are kept for
 * live delivery. A broadcast is one row; each node puts it in its connected users' inboxes.
 * Held sends are released by the same fan-out when due (`releaseDue`).
 */
@Injectable()
export class SendPipeline {
  private readonly store = new AudienceStore();
  private readonly inbox = new NotificationsStore();
  /** Whether a user without an in-app rule for a notification gets it in their inbox. */
  private readonly inAppDefault: boolean;
  private readonly outbox = new OutboxStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly lifecycle: NotificationLifecycle,
    private readonly options: ResolvedOptions,
    private readonly keys: TenantKeys,
    @Optional() private readonly metrics?: NotificationsMetrics,
    @Optional() private readonly fallback?: FallbackPolicy,
  ) {
    this.inAppDefault = options.preferences.defaults.inApp;
  }

  async send(input: SendNotificationInput, options: SendOptions = {}): Promise<SendResult> {
    const namedAudience = resolveAudience(input);
    checkActionsAndGroup(input, namedAudience);
    this.keys.scope.tenantOf(options); // a send naming no tenant, or one it may not, is refused first
    const now = Date.now();
    const due = input.deliverAt === undefined ? now : new Date(input.deliverAt).getTime();
    if (Number.isNaN(due)) throw new InvalidNotificationException('deliverAt must be a valid date-time');
    const held = due > now;
    const content = buildContent(input, namedAudience, held ? due : now);
    const deliverAt = input.deliverAt === undefined ? null : new Date(due).toISOString();
    // Once the send is known to be valid: the content keeps the topic's own name; the store
    // reaches the tenant's keys (tenant-audience.ts), the tenant numbered if it is new.
    const { audience, senderId, ...scope } = await scopeSend(this.keys, namedAudience, options);
    // A direct send asks who is online before its transaction, so the single writer never
    // waits on the bus (a Redis round trip with several nodes).
    const online = audience.kind === 'users' && !held ? await this.bus.onlineAmong(audience.userIds) : undefined;
    // A grouped send takes the general path: it reads and archives the rows it replaces.
    const oneRoundTrip = options.idempotencyKey === undefined && content.groupKey === null && this.unitOfWork.isPostgres;
    const stored: Stored =
      audience.kind === 'users' && online && oneRoundTrip
        ? await this.storeInOneRoundTrip(content, senderId, audience.userIds, deliverAt, online, scope.tenantId)
        : await this.storeInUnitOfWork(content, audience, senderId, deliverAt, held, online, options.idempotencyKey, now, scope);
    const { sent, fanOut } = stored;
    if (fanOut) {
      this.lifecycle.created(
        new NotificationCreatedEvent(content, audience, sent.recipients, sent.online, senderId, deliverAt, held, sent.suppressed),
      );
      this.metrics?.notificationSent(...inboxEntries(fanOut));
    }
    return sent;
  }

  /**
   * In one unit of work: the Idempotency-Key checked, the notification stored and put in its
   * audience's inboxes (or held), the key's answer saved; published once that commits. A
   * repeated key answers the first response, with no fan-out.
   */
  private async storeInUnitOfWork(
    content: NotificationContent,
    audience: NotificationAudience,
    senderId: string | null,
    deliverAt: string | null,
    held: boolean,
    online: ReadonlySet<string> | undefined,
    idempotencyKey: string | undefined,
    now: number,
    scope: Pick<ScopedSend, 'tenantId' | 'keyOwner'>,
  ): Promise<Stored> {
    let fanOut: FanOut | undefined;
    // Statements and reads only (fanOut is set again by a second run): it may share a group without a savepoint.
    const sent = await this.unitOfWork.rerunnable(
      async (manager) => {
        if (idempotencyKey !== undefined) {
          const notBefore = new Date(now - IDEMPOTENCY_WINDOW_MS).toISOString();
          const first = await this.inbox.findIdempotentResponse(manager, scope.keyOwner, idempotencyKey, notBefore);
          if (first) return first as SendResult;
        }
        await this.store.insertNotification(manager, content, senderId, audience, deliverAt, held, scope.tenantId);
        // Held: preferences apply at release, so it answers the reach with nothing suppressed yet.
        fanOut = held
          ? { recipients: await this.expectedReach(manager, audience), online: 0, suppressed: 0, wroteInboxes: false, messages: [] }
          : await this.fanOut(manager, content, audience, online);
        const result = sendResult(content.id, fanOut);
        if (idempotencyKey !== undefined) {
          await this.inbox.saveIdempotentResponse(manager, scope.keyOwner, idempotencyKey, result, new Date(now).toISOString());
        }
        return result;
      },
      () => fanOut && this.publish(fanOut),
    );
    return { sent, fanOut };
  }

  /** PostgreSQL, a send to users without a key: the same statements in one round trip (direct-send.postgres.ts). */
  private async storeInOneRoundTrip(
    content: NotificationContent,
    senderId: string | null,
    userIds: readonly string[],
    deliverAt: string | null,
    online: ReadonlySet<string>,
    tenantId: string,
  ): Promise<Stored> {
    // With a channel configured, its plans are one more statement of the same round trip.
    const plans = this.fallback ? outboxPlansFor(this.fallback, content) : [];
    const outbox = plans.length > 0 ? outboxInsert(true, content.id, plans, [...online], content.createdAt) : undefined;
    const send = [content, senderId, userIds, deliverAt, [...online], content.createdAt, this.inAppDefault, outbox, tenantId] as const;
    const stored = await storeDirectSend(this.unitOfWork, ...send);
    const fanOut = this.withOnline(content, stored.recipients, stored.unread, online, emptyFanOut());
    fanOut.suppressed = userIds.length - stored.recipients.length;
    this.publish(fanOut);
    // Rare (a recipient's preferences refused it): a statement of its own, after the round trip.
    if (fanOut.suppressed > 0) await this.unitOfWork.writeStatement((manager) => recordSuppressed(manager, content.id, fanOut.suppressed));
    return { sent: sendResult(content.id, fanOut), fanOut };
  }

  /** Releases held notifications that are due, each like a fresh send; returns how many. */
  async releaseDue(limit: number): Promise<number> {
    const due = await this.unitOfWork.read((manager) => this.store.findDue(manager, new Date().toISOString(), limit));
    let releasedCount = 0;
    for (const id of due) {
      let fanOut: FanOut | undefined;
      let released: NotificationReleasedEvent | undefined;
      await this.unitOfWork.write(
        async (manager) => {
          const held = await this.store.release(manager, id, new Date().toISOString());
          if (!held) return; // another node released it first
          // Due while the server was down for longer than its TTL: expired, so never delivered.
          const expired = held.content.expiresAt != null && held.content.expiresAt <= new Date().toISOString();
          if (!expired) fanOut = await this.fanOut(manager, held.content, held.audience);
          const { recipients = 0, online = 0, suppressed = 0 } = fanOut ?? {};
          released = new NotificationReleasedEvent(held.content, held.audience, recipients, online, expired, suppressed);
        },
        () => fanOut && this.publish(fanOut),
      );
      if (released) this.lifecycle.released(released);
      if (!fanOut) continue;
      releasedCount++;
      this.metrics?.inboxEntriesCreated(...inboxEntries(fanOut));
    }
    return releasedCount;
  }

  /**
   * Inside a send's transaction: puts the notification in its audience's inboxes and, when a
   * channel beyond the socket is configured, plans it for them (the outbox).
   */
  private async fanOut(
    manager: EntityManager,
    content: NotificationContent,
    audience: NotificationAudience,
    knownOnline?: ReadonlySet<string>,
  ): Promise<FanOut> {
    const fanOut = await this.fanOutToInboxes(manager, content, audience, knownOnline);
    const plans = this.fallback && fanOut.wroteInboxes ? outboxPlansFor(this.fallback, content) : [];
    if (plans.length > 0) await this.outbox.insertPlans(manager, content.id, plans, onlineUsersOf(fanOut.messages), content.createdAt);
    await recordSuppressed(manager, content.id, fanOut.suppressed);
    return fanOut;
  }

  private async fanOutToInboxes(
    manager: EntityManager,
    content: NotificationContent,
    audience: NotificationAudience,
    knownOnline?: ReadonlySet<string>,
  ): Promise<FanOut> {
    switch (audience.kind) {
      case 'users': {
        const stored = await this.inbox.insertRecipients(manager, content, audience.userIds, this.inAppDefault);
        const fanOut = await this.withOnlineCounted(manager, content, stored, emptyFanOut(), knownOnline);
        fanOut.suppressed = audience.userIds.length - stored.length;
        return fanOut;
      }
      case 'topic': {
        const fanOut = emptyFanOut();
        const lock = await this.store.lockTopic(manager, audience.topic);
        // One count per send, whatever the topic's size: the subscribers the pages did not reach were suppressed.
        const subscribers = content.critical ? 0 : await this.store.countSubscribers(manager, audience.topic, lock);
        let afterUserId: string | null = null;
        for (;;) {
          const page = await this.store.insertTopicPage(manager, content, audience.topic, afterUserId, lock, this.inAppDefault);
          if (page.length === 0) break;
          await this.withOnlineCounted(manager, content, page, fanOut);
          afterUserId = page[page.length - 1].userId;
        }
        // On PostgreSQL a subscription made or ended during the send can skew it: never below 0.
        fanOut.suppressed = Math.max(0, subscribers - fanOut.recipients);
        return fanOut;
      }
      case 'broadcast': {
        // The bus counts users of every tenant: with tenancy a broadcast answers 0 rather than that.
        const online = this.options.tenants.enabled ? 0 : ((await this.bus.onlineUserCount?.()) ?? 0);
        // Inbox entries come later, on each node, as it reaches each user (BroadcastInbox): nothing suppressed.
        const messages: DeliveryMessage[] = [{ kind: 'broadcast', notificationId: content.id }];
        return { recipients: online, online, suppressed: 0, wroteInboxes: false, messages };
      }
    }
  }

  /** Adds a page of stored recipients to the fan-out, with the unread counts of those online read in the transaction. */
  private async withOnlineCounted(
    manager: EntityManager,
    content: NotificationContent,
    page: StoredRecipient[],
    fanOut: FanOut,
    knownOnline?: ReadonlySet<string>,
  ): Promise<FanOut> {
    const online = knownOnline ?? (await this.bus.onlineAmong(page.map((recipient) => recipient.userId)));
    const reached = page.filter((recipient) => online.has(recipient.userId)).map((recipient) => recipient.userId);
    const unread =
      reached.length === 0 ? new Map<string, UnreadCounts>() : await this.inbox.countUnread(manager, reached, new Date().toISOString());
    return this.withOnline(content, page, unread, online, fanOut);
  }

  /** Adds a page of stored recipients to the fan-out, keeping for live delivery only those online. */
  private withOnline(
    content: NotificationContent,
    page: StoredRecipient[],
    unread: ReadonlyMap<string, UnreadCounts>,
    online: ReadonlySet<string>,
    fanOut: FanOut,
  ): FanOut {
    fanOut.recipients += page.length;
    // Those online who got it (not those whose preferences kept it out).
    const reached = page
      .filter(({ userId }) => online.has(userId))
      .map((recipient) => liveRecipient(recipient, unread.get(recipient.userId)));
    if (reached.length === 0) return fanOut;
    fanOut.online += reached.length;
    fanOut.messages.push({ kind: 'notification', notification: content, recipients: reached });
    return fanOut;
  }

  /** Whom a held notification would reach now: what its send answers with. */
  private async expectedReach(manager: EntityManager, audience: NotificationAudience): Promise<number> {
    if (audience.kind === 'users') return audience.userIds.length;
    if (audience.kind === 'topic') return this.store.countSubscribers(manager, audience.topic);
    return 0;
  }

  private publish(fanOut: FanOut): void {
    for (const message of fanOut.messages) this.bus.publish(message);
  }
}

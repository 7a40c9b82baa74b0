import { EntityManager } from 'typeorm';
import { DeliveryBus } from '../delivery/delivery-bus';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { BulkFilter, InboxCounts, StateChange, UnreadCounts } from '../model/inbox-state';
import { InboxStateStore } from '../persistence/inbox-state.store';
import { NotificationsStore } from '../persistence/notifications.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { BroadcastInbox } from './broadcast-inbox';

/** What a change reports: its result, and which notifications changed how (none: nothing to tell). */
interface Outcome<T> {
  result: T;
  changed?: { ids: string[] | 'all'; change: StateChange };
}

const NO_COUNTS: UnreadCounts = { count: 0, unseen: 0 };

/**
 * The states of a user's notifications (read, unread again, seen, archived, unarchived) and
 * their counts. Every change runs in one transaction with the new counts read in it; once it
 * commits, every session of the user, on every node, gets a `state` frame and then the
 * `unread {count, unseen}` frame through the delivery bus, whoever made the change (REST, a
 * frame, host code). Broadcasts the user missed are put in the inbox first, so a change to
 * "all" reaches them too.
 */
export class InboxStates {
  private readonly inbox = new NotificationsStore();
  private readonly states = new InboxStateStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly bus: DeliveryBus,
    private readonly broadcasts: BroadcastInbox,
    private readonly metrics?: NotificationsMetrics,
  ) {}

  /** The unread count and how many of those are unseen. */
  async unreadCounts(userId: string): Promise<UnreadCounts> {
    await this.broadcasts.catchUp(userId);
    const counts = await this.unitOfWork.read((manager) => this.inbox.countUnread(manager, [userId], now()));
    return counts.get(userId) ?? NO_COUNTS;
  }

  /** Unread and unseen, and the unread by type and by topic. */
  async counts(userId: string): Promise<InboxCounts> {
    await this.broadcasts.catchUp(userId);
    return this.unitOfWork.read((manager) => this.states.counts(manager, userId, now()));
  }

  /** Marks these read; returns how many were unread. */
  markRead(userId: string, ids: readonly string[]): Promise<number> {
    return this.change(userId, async (manager, at) => {
      const changed = await this.states.markRead(manager, userId, ids, at);
      this.metrics?.notificationsRead(changed.length);
      return { result: changed.length, changed: changed.length > 0 ? { ids: changed, change: 'read' } : undefined };
    });
  }

  /** Marks one read; `found` is false when the user has no such notification (unarchived). */
  markOneRead(userId: string, id: string): Promise<{ found: boolean; count: number }> {
    return this.change(userId, async (manager, at) => {
      const count = (await this.states.markRead(manager, userId, [id], at)).length;
      this.metrics?.notificationsRead(count);
      const found = count > 0 || (await this.inbox.hasNotification(manager, userId, id, at));
      return { result: { found, count }, changed: count > 0 ? { ids: [id], change: 'read' } : undefined };
    });
  }

  /** Marks the unread ones the filter names (every one without a filter) read; returns the ids ('all' unfiltered) and count. */
  readAll(userId: string, filter: BulkFilter): Promise<{ ids: string[] | null; count: number }> {
    return this.bulk(userId, 'read', (manager, at) => this.states.readAll(manager, userId, filter, at));
  }

  /** Archives the ones the filter names (every one without a filter). */
  archiveAll(userId: string, filter: BulkFilter): Promise<{ ids: string[] | null; count: number }> {
    return this.bulk(userId, 'archived', (manager, at) => this.states.archiveAll(manager, userId, filter, at));
  }

  /**
   * Marks these seen (all, when `ids` is null); returns how many were newly seen. With
   * `requireOwned`, ids not in the user's inbox refuse the whole change (the REST route's 404):
   * their first is returned as `missing` and nothing is stored.
   */
  markSeen(userId: string, ids: readonly string[] | null, requireOwned = false): Promise<{ count: number; missing?: string }> {
    return this.change<{ count: number; missing?: string }>(
      userId,
      async (manager, at) => {
        if (ids !== null && requireOwned) {
          const owned = await this.states.ownedIds(manager, userId, ids, at);
          const missing = ids.find((id) => !owned.has(id));
          if (missing !== undefined) return { result: { count: 0, missing } };
        }
        const { count, ids: changed } = await this.states.markSeen(manager, userId, ids, at);
        return { result: { count }, changed: count > 0 ? { ids: changed ?? 'all', change: 'seen' } : undefined };
      },
      ids === null,
    );
  }

  /** Counts it unread again; false when the user has no such notification (unarchived). */
  markUnread(userId: string, id: string): Promise<boolean> {
    return this.change(userId, async (manager, at) => {
      const changed = await this.states.markUnread(manager, userId, id, at);
      const found = changed || (await this.inbox.hasNotification(manager, userId, id, at));
      return { result: found, changed: changed ? { ids: [id], change: 'unread' } : undefined };
    });
  }

  /** Archives it; false when the user has no such notification in the inbox (archived already, as v1's DELETE). */
  archive(userId: string, id: string): Promise<boolean> {
    return this.change(userId, async (manager, at) => {
      const found = await this.states.archive(manager, userId, id, at);
      return { result: found, changed: found ? { ids: [id], change: 'archived' } : undefined };
    });
  }

  /** Brings it back from the archive; false when the user has no such notification at all. */
  unarchive(userId: string, id: string): Promise<boolean> {
    return this.change(userId, async (manager, at) => {
      const changed = await this.states.unarchive(manager, userId, id, at);
      const found = changed || (await this.inbox.hasNotification(manager, userId, id, at));
      return { result: found, changed: changed ? { ids: [id], change: 'unarchived' } : undefined };
    });
  }

  private bulk(
    userId: string,
    change: StateChange,
    run: (manager: EntityManager, at: string) => Promise<{ count: number; ids?: string[] }>,
  ): Promise<{ ids: string[] | null; count: number }> {
    return this.change(
      userId,
      async (manager, at) => {
        const { count, ids } = await run(manager, at);
        if (change === 'read') this.metrics?.notificationsRead(count);
        return { result: { ids: ids ?? null, count }, changed: count > 0 ? { ids: ids ?? 'all', change } : undefined };
      },
      true,
    );
  }

  /**
   * Runs a change in one transaction and, when it changed something, reads the new counts in
   * it; after the commit, publishes the `state` and then the `unread` message.
   */
  private async change<T>(
    userId: string,
    run: (manager: EntityManager, at: string) => Promise<Outcome<T>>,
    /** A change to all or a filtered set: broadcasts the user missed go in the inbox first. Ids name rows that exist. */
    wholeInbox = false,
  ): Promise<T> {
    if (wholeInbox) await this.broadcasts.catchUp(userId);
    let at = '';
    let counts: UnreadCounts | undefined;
    const outcome = await this.unitOfWork.write(
      async (manager) => {
        at = now();
        const outcome = await run(manager, at);
        if (outcome.changed) counts = (await this.inbox.countUnread(manager, [userId], at)).get(userId) ?? NO_COUNTS;
        return outcome;
      },
      (outcome) => {
        if (!outcome.changed || !counts) return;
        this.bus.publish({ kind: 'state', userId, state: { ...outcome.changed, at } });
        this.bus.publish({ kind: 'unread', userId, count: counts.count, unseen: counts.unseen });
      },
    );
    return outcome.result;
  }
}

function now(): string {
  return new Date().toISOString();
}

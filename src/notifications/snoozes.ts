import { UnreadCounts } from '../model/inbox-state';
import { Inject, Injectable } from '@nestjs/common';
import { DeliveryBus, DeliveryMessage } from '../delivery/delivery-bus';
import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { NotificationsStore } from '../persistence/notifications.store';
import { SnoozesStore } from '../persistence/snoozes.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { TenantOptions } from '../model/tenant-scope';
import { TenantKeys } from './tenant-keys';

/** How far ahead a snooze may reach. */
export const MAX_SNOOZE_DAYS = 90;
const MAX_SNOOZE_MS = MAX_SNOOZE_DAYS * 24 * 60 * 60 * 1000;
/** A date-time that names its time zone, as `deliverAt` must (a time without one would be the server's local time). */
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Snoozing (`POST /notifications/:id/snooze`): the user's entry leaves the inbox until `until`
 * (so lists, counts and replay skip it with no extra condition), and the scheduled-delivery
 * worker brings it back then as a new entry: a new cursor, unread, delivered live on every
 * node through the delivery bus like a send. One release per snooze, whatever the nodes.
 * Taking a snooze is a change of state like archiving: a `state` frame (change `snoozed`).
 */
@Injectable()
export class Snoozes {
  private readonly store = new SnoozesStore();
  private readonly inbox = new NotificationsStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly keys: TenantKeys,
  ) {}

  /**
   * Snoozes the user's notification until `until` (InvalidNotificationException when it is
   * not a future ISO 8601 date-time at most 90 days ahead). False when the user has no such
   * notification in their inbox: someone else's, archived, expired or already snoozed. Every
   * session of the user, on every node, gets a `state` frame (change `snoozed`, with `until`)
   * and then the new unread counts, as for any other change of state. With tenancy,
   * `tenant.tenantId` names the user's tenant (required then, refused without, as for
   * NotificationsService).
   */
  async snooze(ownUserId: string, id: string, until: string, tenant: TenantOptions = {}): Promise<boolean> {
    this.keys.scope.checkUserId(ownUserId, this.keys.scope.tenantOf(tenant));
    const untilAt = parseUntil(until);
    // Snoozing only changes what is stored: a tenant never seen has nothing to snooze.
    const userId = await this.keys.userKey(ownUserId, tenant, 'read');
    let counts: UnreadCounts | undefined;
    let at = '';
    return this.unitOfWork.write(
      async (manager) => {
        at = new Date().toISOString();
        if (!(await this.store.snooze(manager, userId, id, untilAt, at))) return false;
        counts = (await this.inbox.countUnread(manager, [userId], at)).get(userId) ?? { count: 0, unseen: 0 };
        return true;
      },
      () => {
        if (!counts) return;
        // The row leaves every tab's list, not just the badge: the state frame says which one.
        this.bus.publish({ kind: 'state', userId, state: { ids: [id], change: 'snoozed', at, until: untilAt } });
        this.bus.publish({ kind: 'unread', userId, count: counts.count, unseen: counts.unseen });
      },
    );
  }

  /**
   * Brings back the snoozes now due (up to `limit`), each in its own unit of work: the snooze
   * deleted and the inbox entry inserted together, then delivered to the user's sessions.
   * One that expired meanwhile is dropped instead. Returns how many it looked at.
   */
  async releaseDue(limit: number): Promise<number> {
    const due = await this.unitOfWork.read((manager) => this.store.findDue(manager, new Date().toISOString(), limit));
    for (const snooze of due) {
      // Asked before the unit of work, so that the single writer never waits on the bus.
      const online = (await this.bus.onlineAmong([snooze.userId])).has(snooze.userId);
      let message: DeliveryMessage | undefined;
      await this.unitOfWork.write(
        async (manager) => {
          const now = new Date().toISOString();
          const released = await this.store.release(manager, snooze, now);
          if (!released) return; // taken by another node
          const { content, state } = released;
          if (content.expiresAt !== null && content.expiresAt <= now) return; // expired while snoozed: never comes back
          const stored = await this.store.reinsert(manager, snooze.userId, released, now);
          if (!stored || !online) return;
          const counts = (await this.inbox.countUnread(manager, [snooze.userId], now)).get(snooze.userId);
          const grouping = { groupCount: state.groupCount, replaces: state.replaces };
          const recipient = { ...stored, unreadCount: counts?.count ?? 0, unseenCount: counts?.unseen ?? 0, ...grouping };
          message = { kind: 'notification', notification: content, recipients: [recipient] };
        },
        () => message && this.bus.publish(message),
      );
    }
    return due.length;
  }
}

/** `until` as stored (ISO 8601 UTC), or InvalidNotificationException naming it. */
function parseUntil(until: unknown): string {
  if (until === undefined || until === null) throw new InvalidNotificationException('until is required');
  if (typeof until !== 'string' || !ZONED_DATE_TIME.test(until)) {
    throw new InvalidNotificationException('until must be an ISO 8601 date-time with a time zone');
  }
  const at = Date.parse(until);
  if (Number.isNaN(at)) throw new InvalidNotificationException('until must be a valid date-time');
  const now = Date.now();
  if (at <= now) throw new InvalidNotificationException('until must be in the future');
  if (at > now + MAX_SNOOZE_MS) throw new InvalidNotificationException(`until must be at most ${MAX_SNOOZE_DAYS} days ahead`);
  return new Date(at).toISOString();
}

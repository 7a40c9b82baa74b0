import { Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SentNotificationsStore, SentRow } from '../persistence/sent-notifications.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { SentNotificationsPage, SentNotificationsQuery, SentNotificationSummary } from './sent-notifications.types';
import { idWithin } from '../model/tenant-scope';
import { TenantKeys } from './tenant-keys';

/** Notifications one unit of work looks at while looking for a page's matches. */
const SCAN_WINDOW = 1000;
/** Inbox entries one unit of work counts. */
const COUNT_WINDOW = 5000;

/**
 * The audit of sends for administrators: which notifications were sent, by whom, to what
 * audience, and how many recipients have them, acknowledged and read, counted from the inbox
 * entries themselves. Newest first, by send; paged by notification id (keyset).
 *
 * The work is done in short units, each reading a bounded number of rows: a filter that matches
 * little, or a notification with a million recipients, makes a request longer, not the writes
 * that wait behind it on SQLite.
 *
 * With tenancy, a query names its tenant (`tenantId`) and sees only that tenant's sends, its
 * `senderId` and the answer's naming the tenant's own senders.
 */
@Injectable()
export class SentNotificationsAudit {
  private readonly store = new SentNotificationsStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly keys: TenantKeys,
  ) {}

  async list(query: SentNotificationsQuery): Promise<SentNotificationsPage> {
    const tenantId = this.keys.scope.tenantOf(query);
    const filter = {
      // A sender of a tenant never seen sent nothing: its key finds nothing, and nothing is numbered.
      senderId: query.senderId === undefined ? undefined : await this.keys.userKey(query.senderId, query, 'read', 'senderId'),
      tenantId,
      type: query.type,
      since: query.since && new Date(query.since).toISOString(),
    };
    const found: SentRow[] = [];
    let before: string | null = query.before ?? null;
    do {
      const from: string | null = before;
      const window = await this.unitOfWork.read((manager) => this.store.scan(manager, filter, from, SCAN_WINDOW));
      found.push(...window.sent);
      before = window.lastId;
      if (before !== null) await nextTurn();
    } while (before !== null && found.length <= query.limit);
    const page = found.slice(0, query.limit);
    const items: SentNotificationSummary[] = [];
    for (const row of page) {
      const senderId = row.senderId && idWithin(tenantId, row.senderId);
      items.push({ ...row, senderId, ...(await this.count(row.id)) });
    }
    return { items, nextCursor: found.length > query.limit ? page[page.length - 1].id : null };
  }

  private async count(notificationId: string): Promise<{ recipients: number; delivered: number; read: number }> {
    const total = { recipients: 0, delivered: 0, read: 0 };
    let afterUserId = '';
    for (;;) {
      const from = afterUserId;
      const counts = await this.unitOfWork.read((manager) => this.store.countEntries(manager, notificationId, from, COUNT_WINDOW));
      total.recipients += counts.recipients;
      total.delivered += counts.delivered;
      total.read += counts.read;
      if (counts.recipients < COUNT_WINDOW || counts.lastUserId === null) return total;
      afterUserId = counts.lastUserId;
      await nextTurn();
    }
  }
}

import { EntityManager } from 'typeorm';
import { InboxStateStore } from '../../src/persistence/inbox-state.store';
import { NotificationsStore } from '../../src/persistence/notifications.store';

/** The user whose inbox holds INBOX_SIZE notifications in the query-plan specs. */
export const HEAVY_USER = 'alice';
export const INBOX_SIZE = 100_000;
export const PLAN_NOW = '2027-01-01T00:00:00.000Z';

/**
 * Each filtered page and count of the inbox, as the service runs them, for the query-plan
 * specs of both engines: the seeded inbox has every third notification of each of three types,
 * every tenth on a topic and unread, every fiftieth archived.
 */
export const INBOX_PLAN_CASES: Array<{ name: string; run: (manager: EntityManager) => Promise<unknown> }> = (() => {
  const inbox = new NotificationsStore();
  const states = new InboxStateStore();
  const page = (filter: object, beforeCursor?: string) => (manager: EntityManager) =>
    inbox.readInbox(manager, HEAVY_USER, { beforeCursor, filter }, 21, 'descending', PLAN_NOW);
  return [
    { name: 'a page', run: page({}, '50000') },
    { name: 'a page of archived ones', run: page({ archived: true }) },
    { name: 'a page of a type prefix', run: page({ type: 'expense.*' }, '50000') },
    { name: 'a page of an exact type, unread', run: page({ type: 'chat.message', unreadOnly: true }) },
    { name: 'a page of a topic', run: page({ topic: 'finance' }) },
    { name: 'a page since an instant', run: page({ since: '2026-02-01T00:00:00.000Z' }) },
    { name: 'a page of unseen ones', run: page({ seen: false }) },
    { name: 'the unread and unseen counts', run: (manager) => inbox.countUnread(manager, [HEAVY_USER], PLAN_NOW) },
    { name: 'the counts by type and topic', run: (manager) => states.counts(manager, HEAVY_USER, PLAN_NOW) },
  ];
})();

import { EntityManager } from 'typeorm';
import { InboxStateStore } from '../../src/persistence/inbox-state.store';
import { NotificationsStore } from '../../src/persistence/notifications.store';

/** The user whose inbox holds INBOX_SIZE notifications in the query-plan specs. */
export const HEAVY_USER = 'alice';
export const INBOX_SIZE = 100_000;
export const PLAN_NOW = '2027-01-01T00:00:00.000Z';
/** The page size the service asks for (20 and one more, to know whether there is a next page). */
const PAGE_ROWS = 21;

/**
 * Each seeded notification's type, topic and state, by its number i (1…INBOX_SIZE), for the
 * seeds of both specs: one in 1,000 (read, unarchived) is of the rare type `audit.rare` (on the rare topic
 * `audit`), every fiftieth archived and of the type `digest.weekly` (so the user has archived
 * every one of that type), the rest in thirds of `expense.approved`, `expense.rejected` and
 * `chat.message`; every tenth is on the topic `finance` and unread, and of those only one in a
 * hundred (i % 1000 = 10, unarchived) is unseen: the user has opened the bell since the others came.
 */
export const SEED = {
  type: (i: string) =>
    `CASE WHEN ${i} % 1000 = 7 THEN 'audit.rare' WHEN ${i} % 50 = 0 THEN 'digest.weekly' WHEN ${i} % 3 = 0 THEN 'expense.approved' WHEN ${i} % 3 = 1 THEN 'expense.rejected' ELSE 'chat.message' END`,
  topic: (i: string) => `CASE WHEN ${i} % 1000 = 7 THEN 'audit' WHEN ${i} % 10 = 0 THEN 'finance' END`,
  unread: (i: string) => `${i} % 10 = 0`,
  /** Of the unread ones, those the user has not seen. */
  unseen: (i: string) => `${i} % 1000 = 10`,
  archived: (i: string) => `${i} % 50 = 0`,
};

/** When seeded notification i was created: one a minute from 2026-01-01 (as both seeds write it). */
export function seededAt(i: number): string {
  return new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 60_000).toISOString();
}

/**
 * Cursor marks for a seeded inbox (CursorMarksStore): each row whose cursor is a multiple of
 * `every` (of `user` only, if named) marks its own time. Sound only when no row before it was
 * created later: the SQLite seed writes the user's rows in time order before anyone else's,
 * the PostgreSQL seed writes every row in time order.
 */
export function seedMarksSql(every: number, user?: string): string {
  return `INSERT INTO notification_cursor_marks (at, cursor)
    SELECT created_at, cursor FROM notification_recipients WHERE cursor % ${every} = 0${user ? ` AND user_id = '${user}'` : ''}
    ON CONFLICT (at) DO NOTHING`;
}

/** The topic index by its topic and type (SQLite names the keys it seeks on; PostgreSQL only the index). */
const TOPIC_AND_TYPE = /_topic( \(user_id=\? AND topic=\? AND type=\?|$)/;

export interface InboxPlanCase {
  name: string;
  run: (manager: EntityManager) => Promise<unknown>;
  /** The index that the page's (or each merged branch's) walk of the user's rows must use. */
  index: RegExp;
  /** At most how many inbox rows the statements may read (PostgreSQL counts them). */
  rowsAtMost: number;
  /** How many statements it takes: a type prefix walks the user's types first, then (if any match) pages. */
  statements?: number;
}

/**
 * Each filtered page and count of the inbox, as the service runs them, for the query-plan
 * specs of both engines. Every page reads about as many rows as it returns, whatever the
 * filter's share of the inbox; the counts read the unread rows (10,000 here), from one
 * covering index range. A page with `since` walks the user's rows newest first, from the
 * newest cursor mark before it.
 */
export const INBOX_PLAN_CASES: InboxPlanCase[] = (() => {
  const inbox = new NotificationsStore();
  const states = new InboxStateStore();
  const page = (filter: object, beforeCursor?: string) => (manager: EntityManager) =>
    inbox.readInbox(manager, HEAVY_USER, { beforeCursor, filter }, PAGE_ROWS, 'descending', PLAN_NOW);
  const unreadRows = INBOX_SIZE / 10;
  return [
    { name: 'a page', run: page({}, '50000'), index: /user_cursor|^PK_/, rowsAtMost: 200 },
    { name: 'a page of archived ones', run: page({ archived: true }), index: /archived/, rowsAtMost: 50 },
    { name: 'a page of a type prefix', run: page({ type: 'expense.*' }, '50000'), index: /_type|^PK_/, rowsAtMost: 200, statements: 2 },
    { name: 'a page of a rare type prefix', run: page({ type: 'audit.*' }), index: /_type/, rowsAtMost: 200, statements: 2 },
    { name: 'a page of a rare type', run: page({ type: 'audit.rare' }), index: /_type/, rowsAtMost: 50 },
    { name: 'a page of a type whose rows are all archived', run: page({ type: 'digest.weekly' }), index: /_type/, rowsAtMost: 50 },
    {
      name: 'a page of a prefix whose rows are all archived',
      run: page({ type: 'digest.*' }),
      index: /_type/,
      rowsAtMost: 50,
      statements: 2,
    },
    {
      name: 'a page of archived ones of a type prefix',
      run: page({ archived: true, type: 'digest.*' }),
      index: /_type/,
      rowsAtMost: 200,
      statements: 2,
    },
    { name: 'a page of archived ones of a type', run: page({ archived: true, type: 'digest.weekly' }), index: /_type/, rowsAtMost: 100 },
    { name: 'a page of an exact type, unread', run: page({ type: 'chat.message', unreadOnly: true }), index: /_type/, rowsAtMost: 100 },
    { name: 'a page of an exact type, unseen', run: page({ type: 'chat.message', seen: false }), index: /_type/, rowsAtMost: 50 },
    {
      name: 'a page of a topic, unread',
      run: page({ topic: 'finance', unreadOnly: true }),
      index: /_topic/,
      rowsAtMost: 100,
      statements: 2,
    },
    {
      name: 'a page of a topic, archived',
      run: page({ topic: 'finance', archived: true }),
      index: /_topic/,
      rowsAtMost: 150,
      statements: 2,
    },
    { name: 'a page of a topic', run: page({ topic: 'finance' }), index: /_topic/, rowsAtMost: 50, statements: 2 },
    { name: 'a page of a rare topic', run: page({ topic: 'audit' }), index: /_topic/, rowsAtMost: 50, statements: 2 },
    // A topic: the user's types on it (one seek each), then the ranges of each (type, state) on
    // it. A type and a topic together: the ranges of that pair. The rare type is never on
    // `finance`, and `audit` holds only the rare type: a walk of either one alone would read its
    // 100 or 33,000 rows to find none.
    { name: 'a page of a type and a topic', run: page({ type: 'chat.message', topic: 'finance' }), index: TOPIC_AND_TYPE, rowsAtMost: 50 },
    {
      name: 'a page of a rare pair of type and topic',
      run: page({ type: 'audit.rare', topic: 'finance' }),
      index: TOPIC_AND_TYPE,
      rowsAtMost: 10,
    },
    {
      name: 'a page of a common type on a rare topic',
      run: page({ type: 'expense.approved', topic: 'audit' }),
      index: TOPIC_AND_TYPE,
      rowsAtMost: 10,
    },
    {
      name: 'a page of a type prefix and a topic',
      run: page({ type: 'expense.*', topic: 'finance' }),
      index: TOPIC_AND_TYPE,
      rowsAtMost: 100,
      statements: 2,
    },
    { name: 'a page of unread ones', run: page({ unreadOnly: true }), index: /_unread/, rowsAtMost: 50 },
    // The user's few types (one seek each), then each type's unseen rows.
    { name: 'a page of unseen ones', run: page({ seen: false }), index: /_type/, rowsAtMost: 200, statements: 2 },
    // PostgreSQL may walk the table's key backwards for a type whose seen rows are most of the user's (as for a common prefix).
    { name: 'a page of seen ones', run: page({ seen: true }, '50000'), index: /_type|^PK_/, rowsAtMost: 400, statements: 2 },
    {
      name: 'a page of unread archived ones',
      run: page({ archived: true, unreadOnly: true }),
      index: /_type/,
      rowsAtMost: 200,
      statements: 2,
    },
    {
      name: 'a page since an instant',
      run: page({ since: '2026-02-01T00:00:00.000Z' }),
      index: /user_cursor|^PK_/,
      rowsAtMost: 200,
      statements: 2,
    },
    // Ten of the user's rows are this recent: the walk starts above the newest mark before it
    // (seedMarksSql; one statement reads it), not at the user's first row. PostgreSQL may walk
    // the table's key above the mark instead of the user's index when, as here, few rows of
    // anyone's are there (about 100).
    {
      name: 'a page since an instant few rows match',
      run: page({ since: seededAt(INBOX_SIZE - 9) }),
      index: /user_cursor|^PK_/,
      rowsAtMost: 150,
      statements: 2,
    },
    {
      name: 'a page of a type since an instant few rows match',
      run: page({ type: 'chat.message', since: seededAt(INBOX_SIZE - 9) }),
      index: /_type|^PK_/,
      rowsAtMost: 150,
      statements: 2,
    },
    {
      name: 'the unread and unseen counts',
      run: (manager) => inbox.countUnread(manager, [HEAVY_USER], PLAN_NOW),
      index: /_unread/,
      rowsAtMost: unreadRows,
    },
    {
      name: 'the counts by type and topic',
      run: (manager) => states.counts(manager, HEAVY_USER, PLAN_NOW),
      index: /_unread/,
      rowsAtMost: unreadRows,
    },
  ];
})();

import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { InboxFilter } from '../model/inbox-state';
import { InboxStateStore } from './inbox-state.store';
import { NotificationsStore } from './notifications.store';

// Types of few segments, `_` among them (LIKE's wildcard), so prefixes of several lengths
// match several types at once; a few topics.
const segment = fc.constantFrom('a', 'a_b', 'axb');
const type = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('.'));
const typeFilter = fc.oneof(
  type,
  fc.array(segment, { minLength: 1, maxLength: 2 }).map((segments) => `${segments.join('.')}.*`),
);
const USER = 'u-pages';
const OTHER = 'u-other';
const NOW = '2027-01-01T00:00:00.000Z';

interface Row {
  type: string;
  topic: string | null;
  read: boolean;
  seen: boolean;
  archived: boolean;
  expired: boolean;
  mine: boolean;
  /**
   * Minutes between the row's `created_at` and its writing (row i is written at minute i): a
   * broadcast put in an inbox when its user comes, long after it was sent.
   */
  late: number;
}

/** True one time in `outOf`: most rows are the user's own and current, so that pages are seldom empty. */
const rarely = (outOf: number) => fc.integer({ min: 1, max: outOf }).map((draw) => draw === 1);

const row: fc.Arbitrary<Row> = fc.record({
  type,
  topic: fc.constantFrom(null, 't1', 't2'),
  read: fc.boolean(),
  seen: fc.boolean(),
  archived: fc.boolean(),
  expired: rarely(5),
  mine: rarely(5).map((other) => !other),
  late: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 }) }),
});

/** Rows after which a cursor mark is taken (CursorMarksStore), at the minute they were written. */
const marks = fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 8 });

const filter: fc.Arbitrary<InboxFilter> = fc.record(
  {
    unreadOnly: fc.boolean(),
    archived: fc.boolean(),
    seen: fc.boolean(),
    type: typeFilter,
    topic: fc.constantFrom('t1', 't2'),
    since: fc.integer({ min: 0, max: 40 }).map((minute) => instant(minute)),
  },
  { requiredKeys: [] },
);

function instant(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
}

/** Row `index`'s created_at: when it was written, less how late it was. */
function createdOf(entry: Row, index: number): string {
  return instant(index - entry.late);
}

/** What a page must hold, computed from the rows as the contract reads: newest first. */
function expectedPage(rows: Row[], chosen: InboxFilter, before: number | undefined, limit: number): string[] {
  const matches = (entry: Row, index: number) => {
    if (!entry.mine || entry.expired) return false;
    if (entry.archived !== (chosen.archived === true)) return false;
    if (chosen.unreadOnly && entry.read) return false;
    const seen = entry.seen || entry.read;
    if (chosen.seen !== undefined && seen !== chosen.seen) return false;
    if (chosen.type !== undefined) {
      const prefix = chosen.type.endsWith('.*') ? chosen.type.slice(0, -1) : undefined;
      if (prefix === undefined ? entry.type !== chosen.type : !entry.type.startsWith(prefix)) return false;
    }
    if (chosen.topic !== undefined && entry.topic !== chosen.topic) return false;
    if (chosen.since !== undefined && createdOf(entry, index) < chosen.since) return false;
    return before === undefined || index + 1 < before;
  };
  return rows
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry, index }) => matches(entry, index))
    .reverse()
    .slice(0, limit)
    .map(({ index }) => `n-${index}`);
}

/**
 * Filtered pages (one type, a prefix merged from its types, a topic, unread and unseen through
 * the unread index, `since` from the newest cursor mark before it, with rows written long after
 * they were created) and the counts return exactly what the filter means, read off the rows in
 * JavaScript, for random inboxes, marks, filters and page positions.
 */
describe('inbox pages and counts: the indexed statements mean what the filters say', () => {
  const inbox = new NotificationsStore();
  const states = new InboxStateStore();
  let database: DataSource;

  beforeAll(async () => {
    database = await migratedSqliteDatabase();
  });
  afterAll(() => database.destroy());

  async function store(rows: Row[], markedAfter: number[] = []): Promise<void> {
    await database.query('DELETE FROM notification_cursor_marks');
    await database.query('DELETE FROM notification_recipients');
    await database.query('DELETE FROM sqlite_sequence WHERE name = ?', ['notification_recipients']);
    await database.query('DELETE FROM notifications');
    for (const [index, entry] of rows.entries()) {
      const created = createdOf(entry, index);
      const expires = entry.expired ? '2026-06-01T00:00:00.000Z' : null;
      await database.query(`INSERT INTO notifications (id, type, title, topic, created_at, expires_at) VALUES (?, ?, 't', ?, ?, ?)`, [
        `n-${index}`,
        entry.type,
        entry.topic,
        created,
        expires,
      ]);
      // The cursor is the row's place: index + 1 (the table's sequence was reset).
      await database.query(
        `INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic, read_at, seen_at, archived_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          entry.mine ? USER : OTHER,
          `n-${index}`,
          created,
          expires,
          entry.type,
          entry.topic,
          entry.read ? created : null,
          entry.seen ? created : null,
          entry.archived ? created : null,
        ],
      );
      // Everything up to this row was written by its minute.
      if (markedAfter.includes(index)) {
        await database.query('INSERT INTO notification_cursor_marks (at, cursor) VALUES (?, ?)', [instant(index), index + 1]);
      }
    }
  }

  it('pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 5, maxLength: 40 }),
        filter,
        fc.option(fc.integer({ min: 1, max: 41 }), { nil: undefined }),
        fc.integer({ min: 1, max: 6 }),
        marks,
        async (rows, chosen, before, limit, markedAfter) => {
          await store(rows, markedAfter);
          const { unreadOnly, ...listing } = chosen;
          const page = await inbox.readInbox(
            database.manager,
            USER,
            { beforeCursor: before === undefined ? undefined : String(before), unreadOnly, filter: listing },
            limit,
            'descending',
            NOW,
          );
          expect(page.map((entry) => entry.id)).toEqual(expectedPage(rows, chosen, before, limit));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), async (rows) => {
        await store(rows);
        const counted = rows.filter((entry) => entry.mine && !entry.expired && !entry.archived && !entry.read);
        const byType: Record<string, number> = {};
        const byTopic: Record<string, number> = {};
        for (const entry of counted) {
          byType[entry.type] = (byType[entry.type] ?? 0) + 1;
          if (entry.topic !== null) byTopic[entry.topic] = (byTopic[entry.topic] ?? 0) + 1;
        }
        expect(await states.counts(database.manager, USER, NOW)).toEqual({
          unread: counted.length,
          unseen: counted.filter((entry) => !entry.seen).length,
          byType,
          byTopic,
        });
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['100 types: one statement of a walk per type and state', 100],
    ['101 types: the walk of the user rows instead', 101],
  ])('pages of a state over %s', async (_name, typeCount) => {
    const base = { topic: null, archived: false, expired: false, mine: true, late: 0 };
    // Each type read, seen and unseen: every walk of a page of seen ones (two states) finds rows.
    const rows: Row[] = Array.from({ length: typeCount }, (_, index) => [
      { ...base, type: `t.${index}`, read: true, seen: false },
      { ...base, type: `t.${index}`, read: false, seen: true },
      { ...base, type: `t.${index}`, read: false, seen: false },
    ]).flat();
    await store(rows);
    for (const chosen of [{ seen: true }, { seen: false, type: 't.*' }, { unreadOnly: true, type: 't.*' }] as InboxFilter[]) {
      const page = await inbox.readInbox(database.manager, USER, { filter: chosen }, 25, 'descending', NOW);
      expect(page.map((entry) => entry.id)).toEqual(expectedPage(rows, chosen, undefined, 25));
    }
  });
});

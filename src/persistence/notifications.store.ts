import { EntityManager } from 'typeorm';
import { NotificationContent } from '../model/notification.view';
import { InboxFilter, UnreadCounts } from '../model/inbox-state';
import { inboxAdmits } from './in-app-rules';
import { INBOX_ROW_COLUMNS, inboxRowValues } from './inbox-row';
import { readInboxPage } from './inbox-pages';
import { lockInboxes, previousCursorOf } from './inbox-locks';
import { archiveReplaced, groupedInsert } from './grouped-inbox';
import { chunk, isPostgres, limitClause, placeholders, runSql } from './sql';

/** Rows per multi-row statement: well under SQLite's bound-parameter limit. */
const ROWS_PER_STATEMENT = 500;
/** Seeds the Idempotency-Key lock keys (one-key advisory locks; the inbox locks use two keys). */
const IDEMPOTENCY_LOCK_SEED = 7_318_002;

/** An inbox row that counts as unread at the time given as its one parameter. */
export const UNREAD_ROW = 'read_at IS NULL AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)';
/** Of the UNREAD_ROW rows, how many are unseen (a read row counts as seen, so only unread ones can be). */
export const UNSEEN_TALLY = 'SUM(CASE WHEN seen_at IS NULL THEN 1 ELSE 0 END)';

/** Which part of an inbox a replay or a page reads. */
export interface InboxPosition {
  /** Only rows after this cursor (exclusive). */
  afterCursor?: string;
  /** Only rows before this cursor (exclusive). */
  beforeCursor?: string;
  /** Only rows not yet acknowledged. */
  unacknowledgedOnly?: boolean;
  /** Only rows not yet read. */
  unreadOnly?: boolean;
  /** A listing's filters (archived, seen, type, topic, since); unarchived rows only without it. */
  filter?: InboxFilter;
}

/** A recipient's place for a notification that was just stored. */
export interface StoredRecipient {
  userId: string;
  cursor: string;
  /**
   * The user's cursor just before this one ('0' for a first notification), known on
   * PostgreSQL where live deliveries may arrive out of order: a session that has not sent
   * this cursor yet has a gap to fill from the database.
   */
  previousCursor?: string;
  /** A grouped send only: how many sends the new row stands for, and the notification it replaced (or null). */
  groupCount?: number;
  replaces?: string | null;
}

/** A row that RETURNING (or a SELECT) gave back as `cursor`, `userId` and, on PostgreSQL, `previousCursor`. */
export function toStoredRecipient(row: Record<string, any>, withPrevious: boolean): StoredRecipient {
  const stored: StoredRecipient = { userId: row.userId, cursor: String(row.cursor) };
  if (withPrevious) stored.previousCursor = row.previousCursor == null ? '0' : String(row.previousCursor);
  if (row.groupCount != null) {
    stored.groupCount = Number(row.groupCount);
    stored.replaces = row.replaces ?? null;
  }
  return stored;
}

/**
 * The SQL of the inbox's hot paths: sends, counts, pages and replays, acks, idempotency keys
 * (the changes of state are in inbox-state.store.ts). Plain statements with RETURNING rather than
 * repository `save()`: a save re-selects each row, and sends and replays are the hot paths.
 * Each method issues a fixed number of statements per 500 rows, never one per row.
 */
export class NotificationsStore {
  /**
   * Puts a notification in the inbox of each user whose preferences let it in (all of them
   * when it is critical; `inAppDefault` decides for users without a rule); returns each new
   * cursor (and on PostgreSQL the cursor before it, read under the inbox lock: see
   * inbox-locks.ts). Users it leaves out are the send's `suppressed`. A grouped send
   * (groupKey) replaces each user's unread row of the key in the same transaction (grouped-inbox.ts).
   */
  async insertRecipients(manager: EntityManager, content: NotificationContent, userIds: readonly string[], inAppDefault = true) {
    const postgres = isPostgres(manager);
    if (postgres) await lockInboxes(manager, userIds);
    const previous = postgres ? `, ${previousCursorOf('notification_recipients')} AS "previousCursor"` : '';
    const admits = inboxAdmits('audience.column1', content, inAppDefault);
    const now = new Date().toISOString();
    const group = groupedInsert(content, 'audience.column1', now);
    const insert = (users: readonly string[]) => ({
      sql: `INSERT INTO notification_recipients (user_id, ${INBOX_ROW_COLUMNS}${group.columns})
         SELECT audience.column1, ?, ?, ?, ?, ?${group.values} FROM (VALUES ${users.map(() => '(?)').join(', ')}) AS audience
         WHERE ${admits.sql}`,
      parameters: [...inboxRowValues(content), ...group.parameters, ...users, ...admits.parameters],
    });
    if (!postgres && userIds.length === 1 && content.groupKey === null) {
      // SQLite, one user (a p2p send): no RETURNING, which costs SQLite about 10 µs a
      // statement (BENCHMARKS.md); the new row's rowid is its cursor.
      const { sql, parameters } = insert(userIds);
      const { affected, lastRowId } = await runSql(manager, sql, parameters);
      return affected === 0 ? [] : [{ userId: userIds[0], cursor: lastRowId! }];
    }
    const stored: StoredRecipient[] = [];
    for (const users of chunk(userIds, ROWS_PER_STATEMENT)) {
      const { sql, parameters } = insert(users);
      const { rows } = await runSql(manager, `${sql} RETURNING cursor, user_id AS "userId"${previous}${group.returning}`, parameters);
      const page = rows.map((row) => toStoredRecipient(row, postgres));
      await archiveReplaced(
        manager,
        content,
        page.map((recipient) => recipient.userId),
        now,
      );
      stored.push(...page);
    }
    return stored;
  }

  /**
   * Unread, unarchived, unexpired counts for these users, and how many of those are unseen
   * (users with none are absent): one covering range of the unread index per user.
   */
  async countUnread(manager: EntityManager, userIds: readonly string[], now: string): Promise<Map<string, UnreadCounts>> {
    const counts = new Map<string, UnreadCounts>();
    for (const users of chunk(userIds, ROWS_PER_STATEMENT)) {
      const { rows } = await runSql(
        manager,
        `SELECT user_id AS "userId", COUNT(*) AS "count", ${UNSEEN_TALLY} AS "unseen" FROM notification_recipients
         WHERE user_id IN (${placeholders(users.length)}) AND ${UNREAD_ROW}
         GROUP BY user_id`,
        [...users, now],
      );
      for (const row of rows) counts.set(row.userId, { count: Number(row.count), unseen: Number(row.unseen) });
    }
    return counts;
  }

  /** A page of one user's inbox, oldest first (`ascending`) or newest first (inbox-pages.ts). */
  readonly readInbox = readInboxPage;

  /** The user's latest cursor, archived, expired and acknowledged rows included ('0' when none). */
  async latestCursor(manager: EntityManager, userId: string): Promise<string> {
    const { rows } = await runSql(manager, `SELECT MAX(cursor) AS "cursor" FROM notification_recipients WHERE user_id = ?`, [userId]);
    return rows[0]?.cursor == null ? '0' : String(rows[0].cursor);
  }

  /**
   * Marks the notifications of many acks delivered, in one statement on PostgreSQL and one per
   * 500 (notification, user) pairs on SQLite, instead of one per ack; returns how many each ack changed, in order. A pair
   * two acks share counts for the first.
   */
  async markDelivered(manager: EntityManager, acks: readonly { userId: string; ids: readonly string[] }[], now: string) {
    const counts = acks.map(() => 0);
    // notification id → user id → the index of the first ack naming that pair.
    const owners = new Map<string, Map<string, number>>();
    const pairs: Array<[string, string]> = [];
    acks.forEach(({ userId, ids }, index) => {
      for (const id of ids) {
        const users = owners.get(id) ?? owners.set(id, new Map()).get(id)!;
        if (users.has(userId)) continue;
        users.set(userId, index);
        pairs.push([id, userId]);
      }
    });
    const record = (rows: Array<Record<string, any>>) => {
      for (const row of rows) counts[owners.get(row.id)!.get(row.userId)!] += 1;
    };
    if (isPostgres(manager)) {
      // One statement whatever the batch (two arrays), so it needs no transaction of its own.
      const { rows } = await runSql(
        manager,
        `UPDATE notification_recipients r SET delivered_at = ?
         FROM unnest(?::text[], ?::text[]) AS acked (notification_id, user_id)
         WHERE r.notification_id = acked.notification_id AND r.user_id = acked.user_id
           AND r.delivered_at IS NULL AND r.archived_at IS NULL AND (r.expires_at IS NULL OR r.expires_at > ?)
         RETURNING r.notification_id AS "id", r.user_id AS "userId"`,
        [now, pairs.map(([id]) => id), pairs.map(([, userId]) => userId), now],
      );
      record(rows);
      return counts;
    }
    for (const batch of chunk(pairs, ROWS_PER_STATEMENT)) {
      // Row values in the unique index's order (notification_id, user_id), so each pair is a lookup.
      const { rows } = await runSql(
        manager,
        `UPDATE notification_recipients SET delivered_at = ?
         WHERE delivered_at IS NULL AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
           AND (notification_id, user_id) IN (VALUES ${batch.map(() => '(?, ?)').join(', ')})
         RETURNING notification_id AS "id", user_id AS "userId"`,
        [now, now, ...batch.flat()],
      );
      record(rows);
    }
    return counts;
  }

  /** Whether the user has this notification, unarchived and unexpired. */
  async hasNotification(manager: EntityManager, userId: string, id: string, now: string): Promise<boolean> {
    const { rows } = await runSql(
      manager,
      `SELECT 1 AS "found" FROM notification_recipients WHERE user_id = ? AND notification_id = ?
         AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
      [userId, id, now],
    );
    return rows.length > 0;
  }

  /**
   * The first response to this sender's key within the window, if any. Call it first in the
   * send's transaction: on PostgreSQL it locks the (sender, key) pair until the send commits,
   * so a concurrent repeat waits here and then finds the first response (SQLite runs one
   * write at a time anyway).
   */
  async findIdempotentResponse(manager: EntityManager, senderId: string, key: string, notBefore: string) {
    if (isPostgres(manager)) {
      // A header cannot hold a line break, so pairs only collide if a sender id has one; a
      // collision makes two sends wait for each other, the lookup below stays exact.
      await runSql(manager, `SELECT pg_advisory_xact_lock(hashtextextended(?, ${IDEMPOTENCY_LOCK_SEED}))`, [`${senderId}\n${key}`]);
    }
    const { rows } = await runSql(
      manager,
      `SELECT response FROM notification_idempotency_keys WHERE sender_id = ? AND key = ? AND created_at > ?`,
      [senderId, key, notBefore],
    );
    return rows.length > 0 ? (JSON.parse(rows[0].response) as unknown) : undefined;
  }

  /** Records the first response for a key, replacing one older than the window. */
  async saveIdempotentResponse(manager: EntityManager, senderId: string, key: string, response: unknown, now: string) {
    await runSql(manager, `DELETE FROM notification_idempotency_keys WHERE sender_id = ? AND key = ?`, [senderId, key]);
    await runSql(manager, `INSERT INTO notification_idempotency_keys (sender_id, key, response, created_at) VALUES (?, ?, ?, ?)`, [
      senderId,
      key,
      JSON.stringify(response),
      now,
    ]);
  }

  /**
   * Deletes up to `limit` keys stored at or before `notAfter` (past the window, so no repeat
   * can find them any more); returns how many it deleted.
   */
  async deleteIdempotencyKeys(manager: EntityManager, notAfter: string, limit: number): Promise<number> {
    const { affected } = await runSql(
      manager,
      `DELETE FROM notification_idempotency_keys WHERE (sender_id, key) IN
         (SELECT sender_id, key FROM notification_idempotency_keys WHERE created_at <= ? ORDER BY created_at ${limitClause(limit)})`,
      [notAfter],
    );
    return affected;
  }
}

import { EntityManager } from 'typeorm';
import { NOT_SNOOZED } from './snoozes.store';
import { chunk, isPostgres, limitClause, placeholders, runSql } from './sql';

/** Rows per DELETE … IN (…) statement, well under SQLite's bound-parameter limit. */
const ROWS_PER_STATEMENT = 500;
/** The two-key advisory lock a sweep batch takes on PostgreSQL (a space apart from the inbox locks' 7318001). */
const SWEEP_LOCK_SPACE = 7_318_003;

/** Where a walk stands: the last row it looked at, in the order of the key it walks. */
export interface WalkPosition {
  notificationId: string;
  /** The last inbox row's user; unused by the walk of notifications. */
  userId: string;
}

/** What one batch of a walk did: the row it stopped at (undefined past the last) and how many it deleted. */
export interface WalkStep {
  next: WalkPosition | undefined;
  deleted: number;
}

/** The walks start before every id and user id. */
export const WALK_START: WalkPosition = { notificationId: '', userId: '' };

/**
 * The SQL of retention: old read or archived inbox rows, notifications left with no recipient,
 * spent revocations. Each method looks at a bounded number of rows per call (one transaction of
 * the sweep), walking a key in order, so a sweep of millions never holds the writer for long.
 *
 * Notification ids are UUIDv7, time first, so "sent before the cutoff" is a range of the key;
 * the walks read only the rows of notifications that old, however many newer ones there are.
 */
export class RetentionStore {
  /**
   * On PostgreSQL, whether this transaction may sweep: one node at a time does (the others
   * find the lock taken and leave the work to it). Released when the transaction ends.
   */
  async claimSweep(manager: EntityManager): Promise<boolean> {
    if (!isPostgres(manager)) return true;
    const { rows } = await runSql(manager, `SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK_SPACE}, 0) AS "claimed"`);
    return rows[0].claimed === true;
  }

  /**
   * Looks at the next `window` inbox rows after `position`, of notifications whose id is below
   * `sentBeforeId`, in the order of their unique key (notification id, user id), and deletes
   * those created at or before `createdBefore` that are read or archived. It keeps the rows of
   * a broadcast still live at `now`: without its row, the user's next replay would put the
   * broadcast back in their inbox, unread.
   */
  async deleteOldReadEntries(
    manager: EntityManager,
    position: WalkPosition,
    sentBeforeId: string,
    createdBefore: string,
    now: string,
    window: number,
  ): Promise<WalkStep> {
    const { rows } = await runSql(
      manager,
      `SELECT r.cursor AS "cursor", r.notification_id AS "notificationId", r.user_id AS "userId",
         CASE WHEN r.created_at <= ? AND (r.read_at IS NOT NULL OR r.archived_at IS NOT NULL)
           AND NOT (n.audience = 'broadcast' AND (n.expires_at IS NULL OR n.expires_at > ?)) THEN 1 ELSE 0 END AS "expired"
       FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id
       WHERE (r.notification_id, r.user_id) > (?, ?) AND r.notification_id < ?
       ORDER BY r.notification_id, r.user_id ${limitClause(window)}`,
      [createdBefore, now, position.notificationId, position.userId, sentBeforeId],
    );
    const cursors = rows.filter((row) => Number(row.expired) === 1).map((row) => Number(row.cursor));
    let deleted = 0;
    for (const batch of chunk(cursors, ROWS_PER_STATEMENT)) {
      const sql = `DELETE FROM notification_recipients WHERE cursor IN (${placeholders(batch.length)})`;
      deleted += (await runSql(manager, sql, batch)).affected;
    }
    return { next: lastPosition(rows, window), deleted };
  }

  /**
   * Looks at the next `window` notifications after `position` whose id is below `sentBeforeId`
   * and deletes those created at or before `createdBefore` that no inbox holds any more, nor a
   * snooze (it comes back when due). Not a held one (its audience gets it when due), nor a broadcast (it reaches whoever connects until
   * it expires, when the expiry cleanup deletes it).
   */
  async deleteOrphans(
    manager: EntityManager,
    position: WalkPosition,
    sentBeforeId: string,
    createdBefore: string,
    window: number,
  ): Promise<WalkStep> {
    const { rows } = await runSql(
      manager,
      `SELECT n.id AS "notificationId",
         CASE WHEN n.created_at <= ? AND n.pending_audience IS NULL AND n.audience <> 'broadcast'
           AND NOT EXISTS (SELECT 1 FROM notification_recipients r WHERE r.notification_id = n.id)
           AND ${NOT_SNOOZED} THEN 1 ELSE 0 END AS "orphan"
       FROM notifications n WHERE n.id > ? AND n.id < ?
       ORDER BY n.id ${limitClause(window)}`,
      [createdBefore, position.notificationId, sentBeforeId],
    );
    const ids = rows.filter((row) => Number(row.orphan) === 1).map((row) => row.notificationId as string);
    let deleted = 0;
    for (const batch of chunk(ids, ROWS_PER_STATEMENT)) {
      deleted += (await runSql(manager, `DELETE FROM notifications WHERE id IN (${placeholders(batch.length)})`, batch)).affected;
    }
    return {
      next: lastPosition(
        rows.map((row) => ({ ...row, userId: '' })),
        window,
      ),
      deleted,
    };
  }

  /** Deletes up to `limit` revocations made at or before `revokedBefore`; returns how many. */
  async deleteRevocations(manager: EntityManager, revokedBefore: string, limit: number): Promise<number> {
    const { affected } = await runSql(
      manager,
      `DELETE FROM notification_revocations WHERE user_id IN
         (SELECT user_id FROM notification_revocations WHERE revoked_before <= ? ${limitClause(limit)})`,
      [revokedBefore],
    );
    return affected;
  }
}

/** The last row of a full window; undefined when the window came back short (the walk is over). */
function lastPosition(rows: Array<Record<string, any>>, window: number): WalkPosition | undefined {
  if (rows.length < window) return undefined;
  const last = rows[rows.length - 1];
  return { notificationId: last.notificationId, userId: last.userId };
}

/**
 * The smallest UUIDv7 of the millisecond `time`: every notification id made before then sorts
 * below it (ids are lowercase hex, 48 bits of milliseconds first).
 */
export function firstIdAt(time: number): string {
  const hex = Math.max(0, Math.floor(time)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

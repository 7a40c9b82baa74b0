import { EntityManager } from 'typeorm';
import { runSql } from './sql';

/**
 * How far apart the clocks of the nodes that write inbox rows and marks may be. A mark says no
 * row up to its cursor was created after its time, by the clock of the node that wrote the
 * mark; a row's `created_at` is by the clock of the node that sent it. A page with `since`
 * therefore starts above the newest mark from this long before `since`.
 */
export const MARK_CLOCK_MARGIN_MS = 60_000;

/**
 * The SQL of cursor marks (CursorMarkEntity), which bound a `since` page's walk from below.
 *
 * Why a mark is sound: every inbox row's `created_at` is taken before the row is written (a
 * send's time, a snooze's return, a broadcast's own time for a row put in the inbox later: all
 * of them no later than the write), and cursors grow in the order rows are written (SQLite's
 * AUTOINCREMENT; a PostgreSQL sequence, which hands values out in order when, as here, it
 * caches one at a time). A mark reads the highest cursor, then takes its time: every row up to
 * that cursor was written, so created, before the mark's time.
 */
export class CursorMarksStore {
  /** The highest inbox cursor written so far (0 for an empty inbox), and the latest mark's. */
  async positions(manager: EntityManager): Promise<{ highest: number; marked: number | undefined }> {
    const { rows } = await runSql(
      manager,
      `SELECT (SELECT COALESCE(MAX(cursor), 0) FROM notification_recipients) AS "highest",
        (SELECT cursor FROM notification_cursor_marks ORDER BY at DESC LIMIT 1) AS "marked"`,
    );
    const [{ highest, marked }] = rows;
    return { highest: Number(highest), marked: marked === null || marked === undefined ? undefined : Number(marked) };
  }

  /** Records that at `at` every row up to `cursor` had been written (a second mark at the same time is dropped). */
  async mark(manager: EntityManager, at: string, cursor: number): Promise<void> {
    await runSql(manager, `INSERT INTO notification_cursor_marks (at, cursor) VALUES (?, ?) ON CONFLICT (at) DO NOTHING`, [at, cursor]);
  }

  /**
   * The cursor above which a page `since` starts: the newest mark's from MARK_CLOCK_MARGIN_MS
   * before `since` (no row up to it was created since), undefined with no such mark. Read in a
   * statement of its own, so that the page's statement carries the number and PostgreSQL plans
   * the walk of the user's rows above it, not of everyone's rows above it.
   */
  async cursorBefore(manager: EntityManager, since: string): Promise<string | undefined> {
    const { rows } = await runSql(manager, `SELECT cursor FROM notification_cursor_marks WHERE at <= ? ORDER BY at DESC LIMIT 1`, [
      markInstantFor(since),
    ]);
    return rows.length === 0 ? undefined : String(rows[0].cursor);
  }

  /** Deletes marks older than `before`, except the newest of them (a `since` before it still has a bound). */
  async deleteOlderThan(manager: EntityManager, before: string): Promise<number> {
    const { affected } = await runSql(
      manager,
      `DELETE FROM notification_cursor_marks WHERE at < ?
         AND at < (SELECT MAX(at) FROM notification_cursor_marks WHERE at < ?)`,
      [before, before],
    );
    return affected;
  }
}

/** The instant whose newest mark bounds a page `since` (a stored, UTC millisecond time). */
export function markInstantFor(since: string): string {
  return new Date(Date.parse(since) - MARK_CLOCK_MARGIN_MS).toISOString();
}

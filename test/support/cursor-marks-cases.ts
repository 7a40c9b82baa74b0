import { DataSource } from 'typeorm';
import { ResolvedOptions } from '../../src/config/resolved-options';
import { CursorMarksStore, MARK_CLOCK_MARGIN_MS } from '../../src/persistence/cursor-marks.store';
import { runSql } from '../../src/persistence/sql';
import { UnitOfWork } from '../../src/persistence/unit-of-work';
import { CursorMarkWorker } from '../../src/workers/cursor-mark.worker';

const store = new CursorMarksStore();

/**
 * The cursor marks' store and worker on a freshly migrated database of each engine
 * (src/persistence/cursor-marks.store.spec.ts on SQLite, the services suite on PostgreSQL).
 */
export function describeCursorMarks(engine: string, open: () => Promise<{ database: DataSource; close: () => Promise<void> }>): void {
  describe(`Cursor marks on ${engine}: what bounds a page with \`since\``, () => {
    let database: DataSource;
    let close: () => Promise<void>;
    let worker: CursorMarkWorker;

    const marks = async () =>
      (await runSql(database.manager, 'SELECT at, cursor FROM notification_cursor_marks ORDER BY at')).rows.map(
        (row: { at: string; cursor: number }): [string, number] => [row.at, Number(row.cursor)],
      );
    const addRow = async (id: string, createdAt: string) => {
      await runSql(database.manager, `INSERT INTO notifications (id, type, title, created_at) VALUES (?, 't', 't', ?)`, [id, createdAt]);
      await runSql(database.manager, `INSERT INTO notification_recipients (user_id, notification_id, created_at) VALUES ('u', ?, ?)`, [
        id,
        createdAt,
      ]);
    };

    /** Only the marks (00:00, 10), (00:10, 20), (00:20, 30) of 2026-01-01. */
    const threeMarksTenMinutesApart = async () => {
      await database.query('DELETE FROM notification_cursor_marks');
      for (const [at, cursor] of [
        ['2026-01-01T00:00:00.000Z', 10],
        ['2026-01-01T00:10:00.000Z', 20],
        ['2026-01-01T00:20:00.000Z', 30],
      ] as const) {
        await store.mark(database.manager, at, cursor);
      }
    };

    beforeEach(async () => {
      ({ database, close } = await open());
      worker = new CursorMarkWorker(new ResolvedOptions(), new UnitOfWork(database));
    });
    afterEach(() => close());

    it('starts with the mark the migration wrote: cursor 0 on an empty inbox', async () => {
      const [[at, cursor]] = await marks();
      expect(cursor).toBe(0);
      expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
    });

    it('marks the highest cursor once something was written, and writes nothing while nothing is', async () => {
      // Without the migration's mark, which may fall in the same millisecond as the worker's.
      await database.query('DELETE FROM notification_cursor_marks');
      await addRow('n-1', '2026-01-01T00:00:00.000Z');
      await addRow('n-2', '2026-01-01T00:01:00.000Z');
      const before = Date.now();
      await worker.mark();
      const written = await marks();
      expect(written).toHaveLength(1);
      expect(written[0][1]).toBe(2);
      expect(Date.parse(written[0][0])).toBeGreaterThanOrEqual(before);

      // The highest cursor is the marked one: nothing to mark, whenever it runs.
      await worker.mark();
      expect(await marks()).toEqual(written);
    });

    it(`bounds a page since an instant by the newest mark from ${MARK_CLOCK_MARGIN_MS / 1000} s before it`, async () => {
      await threeMarksTenMinutesApart();
      // A second mark of the same instant (another node's) changes nothing.
      await store.mark(database.manager, '2026-01-01T00:10:00.000Z', 25);
      const bound = (since: string) => store.cursorBefore(database.manager, since);
      expect(await bound('2025-12-31T23:59:59.000Z')).toBeUndefined();
      expect(await bound('2026-01-01T00:10:59.999Z')).toBe('10');
      expect(await bound('2026-01-01T00:11:00.000Z')).toBe('20');
      expect(await bound('2026-06-01T00:00:00.000Z')).toBe('30');
    });

    it('deletes marks older than the retention keeps, but the newest of them', async () => {
      await threeMarksTenMinutesApart();
      expect(await store.deleteOlderThan(database.manager, '2026-01-01T00:15:00.000Z')).toBe(1);
      expect(await marks()).toEqual([
        ['2026-01-01T00:10:00.000Z', 20],
        ['2026-01-01T00:20:00.000Z', 30],
      ]);
      expect(await store.deleteOlderThan(database.manager, '2026-01-01T00:15:00.000Z')).toBe(0);
    });
  });
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A mark on the inbox's cursor line: at `at`, every inbox row with a cursor up to `cursor` had
 * been written already, so none of them was created after `at`. A page with `since` starts its
 * walk above the newest mark from before `since` (CursorMarksStore), instead of walking the
 * user's whole inbox when few rows match. Written about once a minute by CursorMarkWorker;
 * holds no user's data.
 */
@Entity('notification_cursor_marks')
export class CursorMarkEntity {
  /** ISO-8601 time of the mark, taken after the highest cursor was read. */
  @PrimaryColumn({ type: 'varchar', length: 24 })
  at: string;

  /** The highest inbox cursor written by then (bigint on PostgreSQL, as cursors are). */
  @Column({ type: 'bigint' })
  cursor: number;
}

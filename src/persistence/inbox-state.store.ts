import { EntityManager } from 'typeorm';
import { BulkFilter, InboxCounts } from '../model/inbox-state';
import { bulkConditions, isFiltered } from './inbox-filter';
import { chunk, placeholders, runSql } from './sql';
import { UNREAD_ROW, UNSEEN_TALLY } from './notifications.store';

/** Rows per statement that names ids: well under SQLite's bound-parameter limit. */
const IDS_PER_STATEMENT = 500;
/** A row still in the inbox: unarchived and unexpired (the one parameter is now). */
const IN_INBOX = 'archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)';

/** What a change did: how many rows it changed and, for a filtered bulk change, which. */
export interface StateChangeResult {
  count: number;
  /** The ids it changed; absent when it applied to the whole inbox ('all'). */
  ids?: string[];
}

/**
 * The SQL of the states beyond read and acknowledged: seen, unread again, archived and back,
 * bulk changes with a filter, and the counts. Each statement reaches the rows it changes
 * through an index led by the user (or by the notification id and user, for ids).
 */
export class InboxStateStore {
  /** Which of these ids are in the user's inbox in any state but expired (the others are a 404). */
  async ownedIds(manager: EntityManager, userId: string, ids: readonly string[], now: string): Promise<Set<string>> {
    const owned = new Set<string>();
    for (const batch of chunk(ids, IDS_PER_STATEMENT)) {
      const { rows } = await runSql(
        manager,
        `SELECT notification_id AS "id" FROM notification_recipients
         WHERE notification_id IN (${placeholders(batch.length)}) AND user_id = ? AND (expires_at IS NULL OR expires_at > ?)`,
        [...batch, userId, now],
      );
      for (const row of rows) owned.add(row.id);
    }
    return owned;
  }

  /** Marks these (or all, when `ids` is null) seen; a read one counts as seen already. Returns those newly seen. */
  async markSeen(manager: EntityManager, userId: string, ids: readonly string[] | null, now: string): Promise<StateChangeResult> {
    const base = `UPDATE notification_recipients SET seen_at = ?
      WHERE user_id = ? AND seen_at IS NULL AND read_at IS NULL AND ${IN_INBOX}`;
    if (ids === null) return { count: (await runSql(manager, base, [now, userId, now])).affected };
    const changed: string[] = [];
    for (const batch of chunk(ids, IDS_PER_STATEMENT)) {
      const sql = `${base} AND notification_id IN (${placeholders(batch.length)}) RETURNING notification_id AS "id"`;
      changed.push(...(await runSql(manager, sql, [now, userId, now, ...batch])).rows.map((row) => row.id as string));
    }
    return { count: changed.length, ids: changed };
  }

  /** Marks these read (and seen if they were not); returns the ids that were unread, for the `state` frame. */
  async markRead(manager: EntityManager, userId: string, ids: readonly string[], now: string): Promise<string[]> {
    const changed: string[] = [];
    for (const batch of chunk(ids, IDS_PER_STATEMENT)) {
      const { rows } = await runSql(
        manager,
        `UPDATE notification_recipients SET read_at = ?, seen_at = COALESCE(seen_at, ?)
         WHERE user_id = ? AND read_at IS NULL AND ${IN_INBOX} AND notification_id IN (${placeholders(batch.length)})
         RETURNING notification_id AS "id"`,
        [now, now, userId, now, ...batch],
      );
      changed.push(...rows.map((row) => row.id as string));
    }
    return changed;
  }

  /** Marks the unread ones the filter names (all when it names none) read, and seen if they were not. */
  async readAll(manager: EntityManager, userId: string, filter: BulkFilter, now: string): Promise<StateChangeResult> {
    return this.bulk(manager, `read_at = ?, seen_at = COALESCE(seen_at, ?)`, [now, now], 'read_at IS NULL', userId, filter, now);
  }

  /** Archives the ones the filter names (all when it names none). */
  async archiveAll(manager: EntityManager, userId: string, filter: BulkFilter, now: string): Promise<StateChangeResult> {
    return this.bulk(manager, 'archived_at = ?', [now], '1 = 1', userId, filter, now);
  }

  /** Counts it unread again (it stays seen); returns whether it was read. */
  async markUnread(manager: EntityManager, userId: string, id: string, now: string): Promise<boolean> {
    const { affected } = await runSql(
      manager,
      // Read implies seen; a row read before seen_at existed keeps being seen once unread.
      `UPDATE notification_recipients SET seen_at = COALESCE(seen_at, read_at), read_at = NULL
       WHERE notification_id = ? AND user_id = ? AND read_at IS NOT NULL AND ${IN_INBOX}`,
      [id, userId, now],
    );
    return affected > 0;
  }

  /** Archives it; returns whether it was in the inbox (unarchived). */
  async archive(manager: EntityManager, userId: string, id: string, now: string): Promise<boolean> {
    const { affected } = await runSql(
      manager,
      `UPDATE notification_recipients SET archived_at = ? WHERE notification_id = ? AND user_id = ? AND ${IN_INBOX}`,
      [now, id, userId, now],
    );
    return affected > 0;
  }

  /** Brings it back from the archive; returns whether it was archived (and unexpired). */
  async unarchive(manager: EntityManager, userId: string, id: string, now: string): Promise<boolean> {
    const { affected } = await runSql(
      manager,
      `UPDATE notification_recipients SET archived_at = NULL
       WHERE notification_id = ? AND user_id = ? AND archived_at IS NOT NULL AND (expires_at IS NULL OR expires_at > ?)`,
      [id, userId, now],
    );
    return affected > 0;
  }

  /**
   * Unread and unseen counts, and the unread by type and by topic, in one statement: one
   * covering range of the unread index (the user's unread rows, with their type and topic), so
   * no row of either table is looked up.
   */
  async counts(manager: EntityManager, userId: string, now: string): Promise<InboxCounts> {
    const { rows } = await runSql(
      manager,
      `SELECT type AS "type", topic AS "topic", COUNT(*) AS "unread", ${UNSEEN_TALLY} AS "unseen"
       FROM notification_recipients WHERE user_id = ? AND ${UNREAD_ROW}
       GROUP BY topic, type`,
      [userId, now],
    );
    const counts: InboxCounts = { unread: 0, unseen: 0, byType: {}, byTopic: {} };
    for (const row of rows) {
      const unread = Number(row.unread);
      counts.unread += unread;
      counts.unseen += Number(row.unseen);
      counts.byType[row.type] = (counts.byType[row.type] ?? 0) + unread;
      if (row.topic != null) counts.byTopic[row.topic] = (counts.byTopic[row.topic] ?? 0) + unread;
    }
    return counts;
  }

  private async bulk(
    manager: EntityManager,
    assignments: string,
    values: unknown[],
    state: string,
    userId: string,
    filter: BulkFilter,
    now: string,
  ): Promise<StateChangeResult> {
    const { conditions, parameters } = bulkConditions(filter);
    const where = ['user_id = ?', state, IN_INBOX, ...conditions].join(' AND ');
    const sql = `UPDATE notification_recipients SET ${assignments} WHERE ${where}`;
    const bound = [...values, userId, now, ...parameters];
    if (!isFiltered(filter)) return { count: (await runSql(manager, sql, bound)).affected };
    const { rows } = await runSql(manager, `${sql} RETURNING notification_id AS "id"`, bound);
    return { count: rows.length, ids: rows.map((row) => row.id as string) };
  }
}

import { EntityManager } from 'typeorm';
import { INBOX_COLUMNS, toNotificationView } from '../persistence/inbox-row';
import { textFromStorage } from '../persistence/postgres-text';
import { NOT_SNOOZED } from '../persistence/snoozes.store';
import { isPostgres, limitClause, placeholders, runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { InboxEntryData } from './user-data.types';

/**
 * The user's inbox: every entry, read, archived or expired, by cursor. Erasing it also deletes
 * the notifications that only this user had, except held ones (their audience still waits) and
 * broadcasts (they reach whoever connects) and ones another user has snoozed (they come back).
 */
export class InboxContributor implements UserDataContributor<InboxEntryData> {
  async exportPage(manager: EntityManager, userId: string, after: string | null, limit: number): Promise<UserDataPage<InboxEntryData>> {
    const { rows } = await runSql(
      manager,
      `SELECT ${INBOX_COLUMNS}, r.archived_at AS "archivedAt"
       FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id
       WHERE r.user_id = ? AND r.cursor > ? ORDER BY r.cursor ${limitClause(limit)}`,
      [userId, Number(after ?? 0)],
    );
    const text = textFromStorage(isPostgres(manager));
    const items = rows.map((row) => {
      const view = toNotificationView(row);
      return { ...view, title: text(view.title), body: text(view.body), archivedAt: row.archivedAt ?? null };
    });
    return { items, next: items.length < limit ? null : items[items.length - 1].cursor };
  }

  async eraseBatch(manager: EntityManager, userId: string, after: string | null, limit: number): Promise<string | null> {
    const { rows } = await runSql(
      manager,
      `SELECT cursor, notification_id AS "notificationId" FROM notification_recipients
       WHERE user_id = ? AND cursor > ? ORDER BY cursor ${limitClause(limit)}`,
      [userId, Number(after ?? 0)],
    );
    if (rows.length === 0) return null;
    await runSql(
      manager,
      `DELETE FROM notification_recipients WHERE cursor IN (${placeholders(rows.length)})`,
      rows.map((row) => Number(row.cursor)),
    );
    const ids = [...new Set(rows.map((row) => row.notificationId as string))];
    const { rows: orphans } = await runSql(
      manager,
      `SELECT n.id FROM notifications n WHERE n.id IN (${placeholders(ids.length)})
         AND n.pending_audience IS NULL AND n.audience <> 'broadcast'
         AND NOT EXISTS (SELECT 1 FROM notification_recipients r WHERE r.notification_id = n.id) AND ${NOT_SNOOZED}`,
      ids,
    );
    if (orphans.length > 0) {
      await runSql(
        manager,
        `DELETE FROM notifications WHERE id IN (${placeholders(orphans.length)})`,
        orphans.map((row) => row.id),
      );
    }
    return rows.length < limit ? null : String(rows[rows.length - 1].cursor);
  }
}

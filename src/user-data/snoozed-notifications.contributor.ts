import { EntityManager } from 'typeorm';
import { NOT_SNOOZED, SnoozesStore } from '../persistence/snoozes.store';
import { limitClause, placeholders, runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { SnoozedNotificationData } from './user-data.types';

/**
 * The user's snoozed notifications: out of their inbox until they come back. Erasing deletes
 * the snoozes (so none comes back) and, as the inbox's erasure does, the notifications that
 * nobody else has, except held ones and broadcasts. It runs before the inbox's erasure, so a
 * snooze released meanwhile lands in an inbox that is still to be erased.
 */
export class SnoozedNotificationsContributor implements UserDataContributor<SnoozedNotificationData> {
  private readonly store = new SnoozesStore();

  async exportPage(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<UserDataPage<SnoozedNotificationData>> {
    const items = await this.store.listOfUser(manager, userId, after ?? '', limit);
    return { items, next: items.length < limit ? null : items[items.length - 1].id };
  }

  async eraseBatch(manager: EntityManager, userId: string, after: string | null, limit: number): Promise<string | null> {
    const { rows } = await runSql(
      manager,
      `SELECT notification_id AS "id" FROM notification_snoozes WHERE user_id = ? AND notification_id > ?
       ORDER BY notification_id ${limitClause(limit)}`,
      [userId, after ?? ''],
    );
    if (rows.length === 0) return null;
    const ids = rows.map((row) => row.id as string);
    await runSql(manager, `DELETE FROM notification_snoozes WHERE user_id = ? AND notification_id IN (${placeholders(ids.length)})`, [
      userId,
      ...ids,
    ]);
    await runSql(
      manager,
      `DELETE FROM notifications WHERE id IN (
         SELECT n.id FROM notifications n WHERE n.id IN (${placeholders(ids.length)})
           AND n.pending_audience IS NULL AND n.audience <> 'broadcast'
           AND NOT EXISTS (SELECT 1 FROM notification_recipients r WHERE r.notification_id = n.id) AND ${NOT_SNOOZED})`,
      ids,
    );
    return rows.length < limit ? null : ids[ids.length - 1];
  }
}

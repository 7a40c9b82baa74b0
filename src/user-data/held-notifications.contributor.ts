import { EntityManager } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { textFromStorage } from '../persistence/postgres-text';
import { isPostgres, limitClause, placeholders, runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { HeldNotificationData } from './user-data.types';

/**
 * Held sends (`deliverAt` ahead) whose audience lists the user: their id waits in the
 * notification's pending audience until it is due. Erasing takes the user out of it, and
 * deletes a held send that named nobody else, so nothing reaches the erased user later.
 */
export class HeldNotificationsContributor implements UserDataContributor<HeldNotificationData> {
  async exportPage(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<UserDataPage<HeldNotificationData>> {
    const page = await this.heldFor(manager, userId, after, limit);
    const text = textFromStorage(isPostgres(manager));
    const items = page.matches.map((row) => ({ id: row.id, type: row.type, title: text(row.title as string), deliverAt: row.deliverAt }));
    return { items, next: page.next };
  }

  async eraseBatch(manager: EntityManager, userId: string, after: string | null, limit: number): Promise<string | null> {
    const page = await this.heldFor(manager, userId, after, limit);
    const emptied: string[] = [];
    const narrowed: Array<[id: string, audience: string]> = [];
    for (const row of page.matches) {
      const audience = row.audience as Extract<NotificationAudience, { kind: 'users' }>;
      const userIds = audience.userIds.filter((id) => id !== userId);
      if (userIds.length === 0) emptied.push(row.id);
      else narrowed.push([row.id, JSON.stringify({ ...audience, userIds })]);
    }
    // Only while still held: a release that committed since the read keeps its notification,
    // and is not held again (which would release it a second time).
    if (emptied.length > 0) {
      await runSql(
        manager,
        `DELETE FROM notifications WHERE id IN (${placeholders(emptied.length)}) AND pending_audience IS NOT NULL`,
        emptied,
      );
    }
    if (narrowed.length > 0) {
      await runSql(
        manager,
        `UPDATE notifications SET pending_audience = CASE id ${narrowed.map(() => 'WHEN ? THEN ?').join(' ')} END
         WHERE id IN (${placeholders(narrowed.length)}) AND pending_audience IS NOT NULL`,
        [...narrowed.flat(), ...narrowed.map(([id]) => id)],
      );
    }
    return page.next;
  }

  /**
   * A page of held notifications in (deliver_at, id) order (the held index) whose audience text
   * contains the user id as JSON, and of those the ones whose parsed audience lists the user.
   */
  private async heldFor(manager: EntityManager, userId: string, after: string | null, limit: number) {
    const [deliverAt, id] = after === null ? ['', ''] : (JSON.parse(after) as [string, string]);
    const { rows } = await runSql(
      manager,
      `SELECT id, type, title, deliver_at AS "deliverAt", pending_audience AS "pendingAudience" FROM notifications
       WHERE pending_audience IS NOT NULL AND pending_audience LIKE ? ESCAPE '!' AND (deliver_at, id) > (?, ?)
       ORDER BY deliver_at, id ${limitClause(limit)}`,
      [`%${JSON.stringify(userId).replace(/[!%_]/g, '!$&')}%`, deliverAt, id],
    );
    const matches = rows
      .map((row) => ({ ...row, audience: JSON.parse(row.pendingAudience) as NotificationAudience }))
      .filter(({ audience }) => audience.kind === 'users' && audience.userIds.includes(userId));
    const last = rows[rows.length - 1];
    return { matches, next: rows.length < limit ? null : JSON.stringify([last.deliverAt, last.id]) };
  }
}

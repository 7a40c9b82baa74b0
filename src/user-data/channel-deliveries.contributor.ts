import { EntityManager } from 'typeorm';
import { limitClause, runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { ChannelDeliveryData } from './user-data.types';

/**
 * The channel plans made for the user (push, email, host channels) with their outcome, in the
 * order they were planned. Erasing them takes their attempts too: the attempts of the user's
 * plans first, then the plans, a batch at a time (both tables are indexed by user, migration
 * 1765550000000).
 */
export class ChannelDeliveriesContributor implements UserDataContributor<ChannelDeliveryData> {
  async exportPage(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<UserDataPage<ChannelDeliveryData>> {
    const { rows } = await runSql(
      manager,
      `SELECT id, notification_id AS "notificationId", channel, status, attempts, planned_at AS "plannedAt",
              updated_at AS "updatedAt"
       FROM notification_outbox WHERE user_id = ? AND id > ? ORDER BY id ${limitClause(limit)}`,
      [userId, after === null ? 0 : Number(after)],
    );
    const items = rows.map((row) => ({
      notificationId: row.notificationId as string,
      channel: row.channel as string,
      status: row.status as string,
      attempts: Number(row.attempts),
      plannedAt: row.plannedAt as string,
      updatedAt: row.updatedAt as string,
    }));
    return { items, next: items.length < limit ? null : String(rows[rows.length - 1].id) };
  }

  async eraseBatch(manager: EntityManager, userId: string, _after: string | null, limit: number): Promise<string | null> {
    const attempts = await runSql(
      manager,
      `DELETE FROM notification_channel_attempts WHERE id IN
         (SELECT id FROM notification_channel_attempts WHERE user_id = ? ORDER BY id ${limitClause(limit)})`,
      [userId],
    );
    if (attempts.affected === limit) return '';
    const plans = await runSql(
      manager,
      `DELETE FROM notification_outbox WHERE id IN
         (SELECT id FROM notification_outbox WHERE user_id = ? ORDER BY id ${limitClause(limit)})`,
      [userId],
    );
    return plans.affected < limit ? null : '';
  }
}

import { EntityManager } from 'typeorm';
import { limitClause, runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { IdempotencyKeyData, SentNotificationData } from './user-data.types';

/**
 * The `Idempotency-Key`s the user sent with (a user's token may send): the keys and when, not
 * the answers they repeat, which name a notification and counts.
 */
export class IdempotencyKeysContributor implements UserDataContributor<IdempotencyKeyData> {
  async exportPage(manager: EntityManager, userId: string, after: string | null, limit: number): Promise<UserDataPage<IdempotencyKeyData>> {
    const { rows } = await runSql(
      manager,
      `SELECT key, created_at AS "createdAt" FROM notification_idempotency_keys
       WHERE sender_id = ? AND key > ? ORDER BY key ${limitClause(limit)}`,
      [userId, after ?? ''],
    );
    const items = rows.map((row) => ({ key: row.key as string, createdAt: row.createdAt as string }));
    return { items, next: items.length < limit ? null : items[items.length - 1].key };
  }

  async eraseBatch(manager: EntityManager, userId: string, _after: string | null, limit: number): Promise<string | null> {
    const { affected } = await runSql(
      manager,
      `DELETE FROM notification_idempotency_keys WHERE sender_id = ? AND key IN
         (SELECT key FROM notification_idempotency_keys WHERE sender_id = ? ORDER BY key ${limitClause(limit)})`,
      [userId, userId],
    );
    return affected < limit ? null : '';
  }
}

/**
 * The notifications the user sent. Their content stays: it is in their recipients' inboxes and
 * belongs to them. Erasing removes the user's id from them (the audit then shows no sender).
 */
export class SentNotificationsContributor implements UserDataContributor<SentNotificationData> {
  async exportPage(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<UserDataPage<SentNotificationData>> {
    const { rows } = await runSql(
      manager,
      `SELECT id, type, created_at AS "createdAt", audience FROM notifications
       WHERE sender_id = ? AND id > ? ORDER BY id ${limitClause(limit)}`,
      [userId, after ?? ''],
    );
    const items = rows.map((row) => ({
      id: row.id as string,
      type: row.type as string,
      createdAt: row.createdAt as string,
      audience: row.audience,
    }));
    return { items, next: items.length < limit ? null : items[items.length - 1].id };
  }

  async eraseBatch(manager: EntityManager, userId: string, _after: string | null, limit: number): Promise<string | null> {
    const { affected } = await runSql(
      manager,
      `UPDATE notifications SET sender_id = NULL WHERE sender_id = ? AND id IN
         (SELECT id FROM notifications WHERE sender_id = ? ORDER BY id ${limitClause(limit)})`,
      [userId, userId],
    );
    return affected < limit ? null : '';
  }
}

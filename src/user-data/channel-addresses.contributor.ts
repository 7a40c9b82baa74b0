import { EntityManager } from 'typeorm';
import { limitClause, runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { ContactData, PushSubscriptionData } from './user-data.types';

/** The user's browsers subscribed to Web Push, by endpoint (their keys are the browser's, not personal data). */
export class PushSubscriptionsContributor implements UserDataContributor<PushSubscriptionData> {
  async exportPage(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<UserDataPage<PushSubscriptionData>> {
    const { rows } = await runSql(
      manager,
      `SELECT endpoint, created_at AS "createdAt" FROM notification_push_subscriptions
       WHERE user_id = ? AND endpoint > ? ORDER BY endpoint ${limitClause(limit)}`,
      [userId, after ?? ''],
    );
    const items = rows.map((row) => ({ endpoint: row.endpoint as string, createdAt: row.createdAt as string }));
    return { items, next: items.length < limit ? null : items[items.length - 1].endpoint };
  }

  async eraseBatch(manager: EntityManager, userId: string, _after: string | null, limit: number): Promise<string | null> {
    const { affected } = await runSql(
      manager,
      `DELETE FROM notification_push_subscriptions WHERE endpoint IN
         (SELECT endpoint FROM notification_push_subscriptions WHERE user_id = ? ORDER BY endpoint ${limitClause(limit)})`,
      [userId],
    );
    return affected < limit ? null : '';
  }
}

/** The email address last seen in the user's tokens, kept for the email channel: one item or none. */
export class ContactsContributor implements UserDataContributor<ContactData> {
  async exportPage(manager: EntityManager, userId: string): Promise<UserDataPage<ContactData>> {
    const { rows } = await runSql(manager, `SELECT email, updated_at AS "updatedAt" FROM notification_user_contacts WHERE user_id = ?`, [
      userId,
    ]);
    return { items: rows.map((row) => ({ email: row.email as string, updatedAt: row.updatedAt as string })), next: null };
  }

  async eraseBatch(manager: EntityManager, userId: string): Promise<string | null> {
    await runSql(manager, `DELETE FROM notification_user_contacts WHERE user_id = ?`, [userId]);
    return null;
  }
}

import { EntityManager } from 'typeorm';
import { limitClause, runSql } from '../persistence/sql';
import { UserDataContributor, UserDataPage } from './user-data-contributor';
import { TopicSubscriptionData } from './user-data.types';

/** The topics the user is subscribed to, by topic name. */
export class TopicSubscriptionsContributor implements UserDataContributor<TopicSubscriptionData> {
  async exportPage(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<UserDataPage<TopicSubscriptionData>> {
    const { rows } = await runSql(
      manager,
      `SELECT topic, created_at AS "createdAt" FROM notification_topic_subscriptions
       WHERE user_id = ? AND topic > ? ORDER BY topic ${limitClause(limit)}`,
      [userId, after ?? ''],
    );
    const items = rows.map((row) => ({ topic: row.topic as string, createdAt: row.createdAt as string }));
    return { items, next: items.length < limit ? null : items[items.length - 1].topic };
  }

  async eraseBatch(manager: EntityManager, userId: string, _after: string | null, limit: number): Promise<string | null> {
    const { affected } = await runSql(
      manager,
      `DELETE FROM notification_topic_subscriptions WHERE user_id = ? AND topic IN
         (SELECT topic FROM notification_topic_subscriptions WHERE user_id = ? ORDER BY topic ${limitClause(limit)})`,
      [userId, userId],
    );
    // What was deleted is gone: the next batch starts from the beginning again.
    return affected < limit ? null : '';
  }
}

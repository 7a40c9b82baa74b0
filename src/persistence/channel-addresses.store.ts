import { EntityManager } from 'typeorm';
import { chunk, placeholders, runSql } from './sql';

/** A browser's push subscription as stored. */
export interface StoredPushSubscription {
  endpoint: string;
  userId: string;
  p256dh: string;
  auth: string;
}

const ROWS_PER_STATEMENT = 500;
/** Browsers a user may have subscribed at once; the oldest beyond this is dropped. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 20;

/** Where channels reach a user: browsers' push subscriptions, and the email claim last seen. */
export class ChannelAddressesStore {
  /**
   * Stores a subscription for the user. The endpoint names a browser: subscribed again (a new
   * key, or another user signed in on it), the row is replaced. Past the per-user cap the oldest goes.
   */
  async savePushSubscription(manager: EntityManager, subscription: StoredPushSubscription, now: string): Promise<void> {
    const { endpoint, userId, p256dh, auth } = subscription;
    await runSql(
      manager,
      `INSERT INTO notification_push_subscriptions (endpoint, user_id, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
         created_at = excluded.created_at`,
      [endpoint, userId, p256dh, auth, now],
    );
    await runSql(
      manager,
      `DELETE FROM notification_push_subscriptions WHERE user_id = ? AND endpoint NOT IN (
         SELECT endpoint FROM notification_push_subscriptions WHERE user_id = ?
         ORDER BY created_at DESC, endpoint LIMIT ${MAX_PUSH_SUBSCRIPTIONS_PER_USER})`,
      [userId, userId],
    );
  }

  /** Deletes the user's subscription with this endpoint; whether there was one. */
  async deletePushSubscription(manager: EntityManager, userId: string, endpoint: string): Promise<boolean> {
    const { affected } = await runSql(manager, `DELETE FROM notification_push_subscriptions WHERE user_id = ? AND endpoint = ?`, [
      userId,
      endpoint,
    ]);
    return affected > 0;
  }

  /** Subscriptions the push service said are gone (404, 410). */
  async deletePushEndpoints(manager: EntityManager, endpoints: readonly string[]): Promise<void> {
    for (const batch of chunk(endpoints, ROWS_PER_STATEMENT)) {
      await runSql(manager, `DELETE FROM notification_push_subscriptions WHERE endpoint IN (${placeholders(batch.length)})`, batch);
    }
  }

  async pushSubscriptionsOf(manager: EntityManager, userIds: readonly string[]): Promise<StoredPushSubscription[]> {
    const found: StoredPushSubscription[] = [];
    for (const batch of chunk(userIds, ROWS_PER_STATEMENT)) {
      const { rows } = await runSql(
        manager,
        `SELECT endpoint, user_id AS "userId", p256dh, auth FROM notification_push_subscriptions
         WHERE user_id IN (${placeholders(batch.length)}) ORDER BY created_at`,
        batch,
      );
      found.push(...(rows as StoredPushSubscription[]));
    }
    return found;
  }

  /** Records the `email` claim a user's token carried; a row is written only when it changed. */
  async saveEmail(manager: EntityManager, userId: string, email: string, now: string): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO notification_user_contacts (user_id, email, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at
       WHERE notification_user_contacts.email <> excluded.email`,
      [userId, email, now],
    );
  }

  async emailsOf(manager: EntityManager, userIds: readonly string[]): Promise<Map<string, string>> {
    const emails = new Map<string, string>();
    for (const batch of chunk(userIds, ROWS_PER_STATEMENT)) {
      const { rows } = await runSql(
        manager,
        `SELECT user_id AS "userId", email FROM notification_user_contacts WHERE user_id IN (${placeholders(batch.length)})`,
        batch,
      );
      for (const row of rows) emails.set(row.userId, row.email);
    }
    return emails;
  }
}

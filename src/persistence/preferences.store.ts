import { EntityManager } from 'typeorm';
import { StoredPreferences } from '../model/preferences';
import { inAppRules } from './in-app-rules';
import { chunk, placeholders, runSql } from './sql';

/** Rule rows per INSERT (4 values each): at most 401 per user anyway (200 types, 200 topics, channels). */
const RULES_PER_STATEMENT = 500;

/**
 * The SQL of users' preferences: the value as set, and its in-app entries as rows that every
 * inbox insert consults (in-app-rules.ts). Every statement names the user: a tenant column
 * would join user_id in each key and WHERE.
 */
export class PreferencesStore {
  /** The user's stored value; undefined when they never set one. */
  async read(manager: EntityManager, userId: string): Promise<StoredPreferences | undefined> {
    const { rows } = await runSql(manager, `SELECT value FROM notification_preferences WHERE user_id = ?`, [userId]);
    return rows.length === 0 ? undefined : (JSON.parse(rows[0].value) as StoredPreferences);
  }

  /** The stored values of these users, one statement per 500; users who never set one are absent. */
  async readMany(manager: EntityManager, userIds: readonly string[]): Promise<Map<string, StoredPreferences>> {
    const found = new Map<string, StoredPreferences>();
    for (const users of chunk(userIds, RULES_PER_STATEMENT)) {
      const { rows } = await runSql(
        manager,
        `SELECT user_id AS "userId", value FROM notification_preferences WHERE user_id IN (${placeholders(users.length)})`,
        users,
      );
      for (const row of rows) found.set(row.userId, JSON.parse(row.value) as StoredPreferences);
    }
    return found;
  }

  /**
   * Replaces the user's preferences and in-app rules. Run it in a transaction: the value is
   * written first, so on PostgreSQL that row's lock makes two replaces of one user take turns
   * (the second then deletes the first one's rules instead of colliding with them).
   */
  async replace(manager: EntityManager, userId: string, preferences: StoredPreferences, now: string): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO notification_preferences (user_id, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [userId, JSON.stringify(preferences), now],
    );
    await runSql(manager, `DELETE FROM notification_in_app_rules WHERE user_id = ?`, [userId]);
    for (const rules of chunk(inAppRules(preferences), RULES_PER_STATEMENT)) {
      await runSql(
        manager,
        `INSERT INTO notification_in_app_rules (user_id, precedence, key, in_app) VALUES ${rules.map(() => '(?, ?, ?, ?)').join(', ')}`,
        rules.flatMap((rule) => [userId, rule.precedence, rule.key, rule.inApp ? 1 : 0]),
      );
    }
  }
}

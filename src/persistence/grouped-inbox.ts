import { EntityManager } from 'typeorm';
import { NotificationContent } from '../model/notification.view';
import { chunk, placeholders, runSql } from './sql';

/** Rows per archiving statement, as in NotificationsStore. */
const USERS_PER_STATEMENT = 500;

/**
 * The parts a grouped send adds to an inbox INSERT … SELECT: its key, and for each user the
 * replaced row's count + 1 and id (that user's latest unread, unarchived, unexpired row of the
 * key). A send without a key gets empty parts, so its statement stays as it was.
 */
export interface GroupedInsert {
  /** `, group_key, group_count, replaces` or ''. */
  columns: string;
  /** The SELECT list's values for those columns, or ''. */
  values: string;
  /** Their parameters, in order (they come before the FROM's). */
  parameters: unknown[];
  /** `, group_count AS "groupCount", replaces` for RETURNING, or ''. */
  returning: string;
}

const NO_GROUP: GroupedInsert = { columns: '', values: '', parameters: [], returning: '' };

/** The replaced row of a user (the SQL expression `userColumn`): a correlated subquery on the partial group index. */
function replacedRow(column: string, userColumn: string): string {
  return `(SELECT old.${column} FROM notification_recipients old
    WHERE old.user_id = ${userColumn} AND old.group_key = ? AND old.read_at IS NULL AND old.archived_at IS NULL
      AND (old.expires_at IS NULL OR old.expires_at > ?)
    ORDER BY old.cursor DESC LIMIT 1)`;
}

/**
 * The grouping parts of an inbox insert for `content`. On PostgreSQL the caller already holds
 * the users' inbox locks (inbox-locks.ts), so a concurrent send of the same key waits until
 * this one commits and then finds this row as the one to replace: two never both stay unread.
 */
export function groupedInsert(content: NotificationContent, userColumn: string, now: string): GroupedInsert {
  const key = content.groupKey;
  if (key === null) return NO_GROUP;
  return {
    columns: ', group_key, group_count, replaces',
    values: `, ?, 1 + COALESCE(${replacedRow('group_count', userColumn)}, 0), ${replacedRow('notification_id', userColumn)}`,
    parameters: [key, key, now, key, now],
    returning: `, group_count AS "groupCount", replaces`,
  };
}

/**
 * After a grouped insert, in the same transaction: archives the rows of the key that these
 * users still had unread (the replaced ones), so each keeps one unread row of the key and their
 * unread count does not grow. Users that the insert left out (preferences) are not passed.
 */
export async function archiveReplaced(manager: EntityManager, content: NotificationContent, userIds: readonly string[], now: string) {
  if (content.groupKey === null || userIds.length === 0) return;
  for (const users of chunk(userIds, USERS_PER_STATEMENT)) {
    await runSql(
      manager,
      `UPDATE notification_recipients SET archived_at = ?
       WHERE user_id IN (${placeholders(users.length)}) AND group_key = ? AND notification_id <> ?
         AND read_at IS NULL AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
      [now, ...users, content.groupKey, content.id, now],
    );
  }
}

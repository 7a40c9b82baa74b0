import { EntityManager } from 'typeorm';
import { InboxFilter } from '../model/inbox-state';
import { NotificationView } from '../model/notification.view';
import { isTypePrefix, listingConditions, SqlConditions } from './inbox-filter';
import { INBOX_COLUMNS, toNotificationView } from './inbox-row';
import type { InboxPosition } from './notifications.store';
import { textFromStorage } from './postgres-text';
import { isPostgres, limitClause, runSql } from './sql';

/** The most distinct types a user's inbox may hold for a type-prefix page to merge per-type walks. */
const MERGED_TYPES_MAX = 100;

/**
 * A page of one user's inbox, oldest first (`ascending`) or newest first, through the index
 * its filter names (docs/inbox.md, "How the filters and counts are indexed"). A type prefix
 * (`expense.*`) reads the user's types under it first (typesUnder), then walks each one's rows
 * by the type index and merges them: a page of a rare prefix reads about as many rows as it
 * returns, like a page of one type or one topic.
 */
export async function readInboxPage(
  manager: EntityManager,
  userId: string,
  position: InboxPosition,
  limit: number,
  order: 'ascending' | 'descending',
  now: string,
): Promise<NotificationView[]> {
  const request: PageRequest = { manager, userId, position, limit, order, now };
  const type = position.filter?.type;
  // Archived ones walk the archived index, which holds no type.
  if (type !== undefined && isTypePrefix(type) && !position.filter?.archived) {
    const types = await typesUnder(manager, userId, type.slice(0, -1));
    if (types?.length === 0) return [];
    if (types !== undefined) return readPage(request, types);
  }
  return readPage(request, [type]);
}

/** What readInboxPage was asked for, as one value for the steps it takes. */
interface PageRequest {
  manager: EntityManager;
  userId: string;
  position: InboxPosition;
  limit: number;
  order: 'ascending' | 'descending';
  now: string;
}

/** A page: one ordered, limited branch per type (undefined: no type filter), merged in cursor order when more than one. */
async function readPage(
  { manager, userId, position, limit, order, now }: PageRequest,
  types: ReadonlyArray<string | undefined>,
): Promise<NotificationView[]> {
  const direction = order === 'ascending' ? 'ASC' : 'DESC';
  const inbox = `notification_recipients r${!isPostgres(manager) && walksUnreadRows(position) ? ' INDEXED BY idx_notification_recipients_unread' : ''}`;
  const branches: string[] = [];
  const parameters: unknown[] = [];
  for (const type of types) {
    const where = pageConditions(userId, position, { ...position.filter, type }, now);
    branches.push(
      `SELECT ${INBOX_COLUMNS} FROM ${inbox} JOIN notifications n ON n.id = r.notification_id
       WHERE ${where.conditions.join(' AND ')} ORDER BY r.cursor ${direction} ${limitClause(limit)}`,
    );
    parameters.push(...where.parameters);
  }
  const sql =
    branches.length === 1
      ? branches[0]
      : `${branches.map((branch, index) => `SELECT * FROM (${branch}) AS t${index}`).join(' UNION ALL ')}
         ORDER BY "cursor" ${direction} ${limitClause(limit)}`;
  const { rows } = await runSql(manager, sql, parameters);
  const text = textFromStorage(isPostgres(manager));
  return rows.map((row) => {
    const view = toNotificationView(row);
    return { ...view, title: text(view.title), body: text(view.body) };
  });
}

function pageConditions(userId: string, position: InboxPosition, filter: InboxFilter, now: string): SqlConditions {
  const listing = listingConditions(filter);
  const conditions = ['r.user_id = ?', '(r.expires_at IS NULL OR r.expires_at > ?)', ...listing.conditions];
  const parameters: unknown[] = [userId, now, ...listing.parameters];
  if (position.afterCursor !== undefined) {
    conditions.push('r.cursor > ?');
    parameters.push(Number(position.afterCursor));
  }
  if (position.beforeCursor !== undefined) {
    conditions.push('r.cursor < ?');
    parameters.push(Number(position.beforeCursor));
  }
  if (position.unacknowledgedOnly) conditions.push('r.delivered_at IS NULL');
  if (position.unreadOnly) conditions.push('r.read_at IS NULL');
  return { conditions, parameters };
}

/**
 * The distinct types of a user's unarchived rows that start with `prefix`, by a walk of the type index
 * that seeks once per distinct type (a loose index scan, which neither engine does by
 * itself). Compared in JavaScript, so the database's collation does not matter. Undefined
 * when the user has more than MERGED_TYPES_MAX types: then the page walks the inbox instead.
 */
async function typesUnder(manager: EntityManager, userId: string, prefix: string): Promise<string[] | undefined> {
  const { rows } = await runSql(
    manager,
    `WITH RECURSIVE types (type, seen) AS (
       SELECT CAST(MIN(type) AS TEXT), 1 FROM notification_recipients WHERE user_id = ? AND archived_at IS NULL
       UNION ALL
       SELECT CAST((SELECT MIN(r.type) FROM notification_recipients r
         WHERE r.user_id = ? AND r.archived_at IS NULL AND r.type > types.type) AS TEXT), seen + 1
       FROM types WHERE types.type IS NOT NULL AND seen <= ${MERGED_TYPES_MAX})
     SELECT type FROM types WHERE type IS NOT NULL`,
    [userId, userId],
  );
  if (rows.length > MERGED_TYPES_MAX) return undefined;
  return rows.map((row) => row.type as string).filter((type) => type.startsWith(prefix));
}

/**
 * Whether a page reads only unread, unarchived rows with no type or topic (which have indexes of
 * their own). SQLite is told to walk the unread index for it: without statistics its planner
 * rates the user's cursor index the same and would walk every row of the user.
 */
function walksUnreadRows({ filter = {}, unreadOnly, unacknowledgedOnly }: InboxPosition): boolean {
  const unread = unreadOnly === true || filter.unreadOnly === true || filter.seen === false;
  return unread && !filter.archived && !unacknowledgedOnly && filter.type === undefined && filter.topic === undefined;
}

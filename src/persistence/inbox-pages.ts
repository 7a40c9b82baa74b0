import { EntityManager } from 'typeorm';
import { InboxFilter } from '../model/inbox-state';
import { NotificationView } from '../model/notification.view';
import { CursorMarksStore } from './cursor-marks.store';
import { inboxStateOf, inboxStates, isTypePrefix, listingConditions, SqlConditions, stateFreeConditions } from './inbox-filter';
import { INBOX_COLUMNS, toNotificationView } from './inbox-row';
import type { InboxPosition } from './notifications.store';
import { textFromStorage } from './postgres-text';
import { isPostgres, limitClause, runSql } from './sql';

/**
 * The most distinct types a user's inbox may hold for a page to merge per-type walks: with up
 * to three states each, 300 branches of one compound SELECT (SQLite allows 500).
 */
const MERGED_TYPES_MAX = 100;

const cursorMarks = new CursorMarksStore();

/**
 * A page of one user's inbox, oldest first (`ascending`) or newest first, through the index
 * its filter names (docs/inbox.md, "How the filters and counts are indexed"). A page of one
 * type merges one walk per inbox state it takes (the third key of the type index), on a topic
 * too by the topic index (user, topic, type, state, cursor); a type prefix (`expense.*`) or a
 * topic reads the user's types under it, or on it, first (typesUnder), then merges the walks
 * of each. A state that the user's cursor, unread and archived indexes do not keep apart
 * (unseen ones, seen ones, unread archived ones) merges the walks of every type the user has.
 * Each walk reads about as many rows as the page returns.
 */
export async function readInboxPage(
  manager: EntityManager,
  userId: string,
  position: InboxPosition,
  limit: number,
  order: 'ascending' | 'descending',
  now: string,
): Promise<NotificationView[]> {
  const filter = position.filter ?? {};
  if (filter.since !== undefined)
    position = { ...position, afterCursor: await walkStartSince(manager, filter.since, position.afterCursor) };
  const request: PageRequest = { manager, userId, position, limit, order, now };
  const states = inboxStates(filter, position.unreadOnly);
  if (states.length === 0) return [];
  const { type, topic } = filter;
  if (type !== undefined && !isTypePrefix(type)) return readPage(request, walks([type], states));
  if (type === undefined && topic === undefined && walksOneIndex(position)) return readPage(request, [{}]);
  // A type prefix, a topic, or a state of every type: each of the user's types (under the
  // prefix, on the topic) in turn.
  const types = await typesUnder(manager, userId, type === undefined ? '' : type.slice(0, -1), topic);
  if (types?.length === 0) return [];
  if (types !== undefined) return readPage(request, walks(types, states));
  return readPage(request, [{}]);
}

/**
 * Where a page `since` starts its walk: above the newest cursor mark from before it
 * (CursorMarksStore), or `after` if that is later. Rows below the mark were all created
 * before `since`; without it, a `since` that few rows match would walk the user's whole inbox.
 */
async function walkStartSince(manager: EntityManager, since: string, after: string | undefined): Promise<string | undefined> {
  const marked = await cursorMarks.cursorBefore(manager, since);
  if (marked === undefined || after === undefined) return marked ?? after;
  return BigInt(marked) > BigInt(after) ? marked : after;
}

/** One walk of a page: the user's rows of one type (undefined: any), in one inbox state (undefined: any). */
interface Walk {
  type?: string;
  state?: number;
}

/** A walk per type and state. */
function walks(types: ReadonlyArray<string | undefined>, states: number[]): Walk[] {
  return types.flatMap((type) => states.map((state) => ({ type, state })));
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

/** A page: one ordered, limited branch per walk, merged in cursor order when more than one. */
async function readPage({ manager, userId, position, limit, order, now }: PageRequest, pageWalks: Walk[]): Promise<NotificationView[]> {
  const direction = order === 'ascending' ? 'ASC' : 'DESC';
  const branches: string[] = [];
  const parameters: unknown[] = [];
  for (const walk of pageWalks) {
    const byUnreadIndex = !isPostgres(manager) && walk.type === undefined && walk.state === undefined && walksUnreadRows(position);
    const inbox = `notification_recipients r${byUnreadIndex ? ' INDEXED BY idx_notification_recipients_unread' : ''}`;
    const where = pageConditions(userId, position, walk, now);
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

/**
 * A walk's conditions. One of a single inbox state names it (inboxStateOf) instead of the
 * archived, read and seen conditions, which it implies: PostgreSQL would take them for more
 * conditions, guess the walk returns almost nothing, and read every row of the state to sort them.
 */
function pageConditions(userId: string, position: InboxPosition, walk: Walk, now: string): SqlConditions {
  const filter: InboxFilter = { ...position.filter, type: walk.type ?? position.filter?.type };
  const byState = walk.state !== undefined;
  const listing = byState ? stateFreeConditions(filter) : listingConditions(filter);
  const conditions = ['r.user_id = ?', '(r.expires_at IS NULL OR r.expires_at > ?)', ...listing.conditions];
  const parameters: unknown[] = [userId, now, ...listing.parameters];
  if (byState) {
    conditions.push(`${inboxStateOf('r')} = ?`);
    parameters.push(walk.state);
  }
  if (position.afterCursor !== undefined) {
    conditions.push('r.cursor > ?');
    parameters.push(Number(position.afterCursor));
  }
  if (position.beforeCursor !== undefined) {
    conditions.push('r.cursor < ?');
    parameters.push(Number(position.beforeCursor));
  }
  if (position.unacknowledgedOnly) conditions.push('r.delivered_at IS NULL');
  if (position.unreadOnly && !byState) conditions.push('r.read_at IS NULL');
  return { conditions, parameters };
}

/**
 * The distinct types of a user's rows (archived or not) that start with `prefix`, and are on
 * `topic` if one is named, by a walk of the type index, or of the topic index for a topic, that
 * seeks once per distinct type (a loose index scan, which neither engine does by itself).
 * Compared in JavaScript, so the database's collation does not matter. Undefined when there are
 * more than MERGED_TYPES_MAX such types: then the page walks the inbox instead.
 */
async function typesUnder(manager: EntityManager, userId: string, prefix: string, topic?: string): Promise<string[] | undefined> {
  const onTopic = topic === undefined ? '' : ' AND topic = ?';
  const keys = topic === undefined ? [userId] : [userId, topic];
  const { rows } = await runSql(
    manager,
    `WITH RECURSIVE types (type, seen) AS (
       SELECT CAST(MIN(type) AS TEXT), 1 FROM notification_recipients WHERE user_id = ?${onTopic}
       UNION ALL
       SELECT CAST((SELECT MIN(r.type) FROM notification_recipients r
         WHERE r.user_id = ?${onTopic.replace('topic', 'r.topic')} AND r.type > types.type) AS TEXT), seen + 1
       FROM types WHERE types.type IS NOT NULL AND seen <= ${MERGED_TYPES_MAX})
     SELECT type FROM types WHERE type IS NOT NULL`,
    [...keys, ...keys],
  );
  if (rows.length > MERGED_TYPES_MAX) return undefined;
  return rows.map((row) => row.type as string).filter((type) => type.startsWith(prefix));
}

/**
 * Whether a page without a type or topic reads only rows it returns through one index: the
 * user's cursor index (no state filter), the unread index (unread ones) or the archived index
 * (archived ones), or replays undelivered ones.
 */
function walksOneIndex({ filter = {}, unreadOnly, unacknowledgedOnly }: InboxPosition): boolean {
  const unread = unreadOnly === true || filter.unreadOnly === true;
  return unacknowledgedOnly === true || (filter.seen === undefined && !(unread && filter.archived));
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

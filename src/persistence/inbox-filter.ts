import { BulkFilter, InboxFilter } from '../model/inbox-state';

/** SQL conditions (joined with AND) and their parameters, in order. */
export interface SqlConditions {
  conditions: string[];
  parameters: unknown[];
}

/**
 * A row's inbox state as one number, the third key of the type and topic indexes: 0 unseen,
 * 1 seen (unread), 2 read; 3, 4, 5 the same when archived. Migration 1766100000000 indexes this
 * expression, written the same way (`table` is the row's alias): the engines match a condition
 * to an index expression by its form.
 */
export function inboxStateOf(table: string): string {
  const column = (name: string) => `${table}."${name}"`;
  return (
    `(CASE WHEN ${column('archived_at')} IS NULL THEN 0 ELSE 3 END + ` +
    `CASE WHEN ${column('read_at')} IS NOT NULL THEN 2 WHEN ${column('seen_at')} IS NOT NULL THEN 1 ELSE 0 END)`
  );
}

/** The inbox states (inboxStateOf) a listing's filter takes, in no order; none: it takes nothing. */
export function inboxStates(filter: InboxFilter, unreadOnly = false): number[] {
  const archived = filter.archived ? 3 : 0;
  const states = [0, 1, 2].filter(
    (state) =>
      !((unreadOnly || filter.unreadOnly) && state === 2) &&
      !(filter.seen === false && state !== 0) &&
      !(filter.seen === true && state === 0),
  );
  return states.map((state) => archived + state);
}

/** Whether a type filter is a prefix (`expense.*`) rather than one exact type. */
export function isTypePrefix(type: string): boolean {
  return type.endsWith('.*');
}

/**
 * `type = ?`, or for a prefix (`expense.*`) a comparison of the type's first characters. Not
 * LIKE: `_`, which a type may hold, is a LIKE wildcard. The prefix's length is a number this
 * code computed, written into the statement.
 */
export function typeCondition(column: string, type: string): SqlConditions {
  if (!isTypePrefix(type)) return { conditions: [`${column} = ?`], parameters: [type] };
  const prefix = type.slice(0, -1);
  return { conditions: [`substr(${column}, 1, ${prefix.length}) = ?`], parameters: [prefix] };
}

/**
 * The conditions that a type and topic filter add, on the inbox row's own copies of them
 * (`table` is its alias, or '' in an UPDATE of the table): the type and topic indexes reach
 * the user's rows of one type or one topic in cursor order.
 */
function contentConditions(filter: { type?: string; topic?: string }, table: string): SqlConditions {
  const column = (name: string) => (table === '' ? name : `${table}.${name}`);
  const result: SqlConditions = { conditions: [], parameters: [] };
  if (filter.type !== undefined) {
    const type = typeCondition(column('type'), filter.type);
    result.conditions.push(...type.conditions);
    result.parameters.push(...type.parameters);
  }
  if (filter.topic !== undefined) {
    result.conditions.push(`${column('topic')} = ?`);
    result.parameters.push(filter.topic);
  }
  return result;
}

/**
 * An inbox listing's conditions on the recipient row (alias `r`), besides the user, expiry and
 * cursor ones. A read notification counts as seen.
 */
export function listingConditions(filter: InboxFilter): SqlConditions {
  const conditions = [filter.archived ? 'r.archived_at IS NOT NULL' : 'r.archived_at IS NULL'];
  if (filter.unreadOnly) conditions.push('r.read_at IS NULL');
  if (filter.seen === false) conditions.push('r.seen_at IS NULL AND r.read_at IS NULL');
  if (filter.seen === true) conditions.push('(r.seen_at IS NOT NULL OR r.read_at IS NOT NULL)');
  const rest = stateFreeConditions(filter);
  return { conditions: [...conditions, ...rest.conditions], parameters: rest.parameters };
}

/**
 * A listing's conditions other than its state (archived, read, seen): `since`, type and topic.
 * A walk of one inbox state (inboxStateOf) names the state instead.
 */
export function stateFreeConditions(filter: InboxFilter): SqlConditions {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  if (filter.since !== undefined) {
    conditions.push('r.created_at >= ?');
    parameters.push(filter.since);
  }
  const content = contentConditions(filter, 'r');
  return { conditions: [...conditions, ...content.conditions], parameters: [...parameters, ...content.parameters] };
}

/** A bulk change's conditions on `notification_recipients` (unaliased, as in an UPDATE). */
export function bulkConditions(filter: BulkFilter): SqlConditions {
  const conditions: string[] = [];
  if (filter.read === true) conditions.push('read_at IS NOT NULL');
  if (filter.read === false) conditions.push('read_at IS NULL');
  const content = contentConditions(filter, '');
  return { conditions: [...conditions, ...content.conditions], parameters: content.parameters };
}

/** Whether a bulk change names a subset (then its `state` frame lists ids, else says 'all'). */
export function isFiltered(filter: BulkFilter): boolean {
  return filter.type !== undefined || filter.topic !== undefined || filter.read !== undefined;
}

import { NotificationContent } from '../model/notification.view';
import { StoredPreferences, typePrefixOf } from '../model/preferences';

/** Where an in-app rule stands: the strongest (lowest) matching one decides. */
export enum InAppPrecedence {
  /** An exact `types` entry; key = the type. */
  Type = 0,
  /** A `prefix.*` entry; key = the prefix with its dot (`expense.`), the longest matching first. */
  TypePrefix = 1,
  /** A `topics` entry; key = the topic. */
  Topic = 2,
  /** The user's `channels.inApp`; key ''. */
  Channels = 3,
}

/** A row of notification_in_app_rules (for one user). */
export interface InAppRule {
  precedence: InAppPrecedence;
  key: string;
  inApp: boolean;
}

/** A piece of SQL with `?` placeholders and their values, in order. */
export interface SqlFragment {
  sql: string;
  parameters: unknown[];
}

/** An operand of {@link inAppAllowed}: a column (or other SQL) of the statement, or a value bound to `?`. */
export type SqlOperand = { sql: string } | { value: string | null };

/** The entries of a user's preferences that set `inApp`, as rows: entries that leave it unset fall through. */
export function inAppRules(preferences: StoredPreferences): InAppRule[] {
  const rules: InAppRule[] = [];
  for (const [key, switches] of Object.entries(preferences.types)) {
    if (switches.inApp === undefined) continue;
    const prefix = typePrefixOf(key);
    rules.push(
      prefix === undefined
        ? { precedence: InAppPrecedence.Type, key, inApp: switches.inApp }
        : { precedence: InAppPrecedence.TypePrefix, key: prefix, inApp: switches.inApp },
    );
  }
  for (const [key, switches] of Object.entries(preferences.topics)) {
    if (switches.inApp !== undefined) rules.push({ precedence: InAppPrecedence.Topic, key, inApp: switches.inApp });
  }
  if (preferences.channels.inApp !== undefined) {
    rules.push({ precedence: InAppPrecedence.Channels, key: '', inApp: preferences.channels.inApp });
  }
  return rules;
}

/**
 * SQL that is true when the user lets a notification of this type and topic into their
 * inbox: the strongest of their rules that matches (exact type, then the longest prefix, then
 * the topic, then their channels), else the module's default. One correlated subquery, served
 * by the primary key (user_id, precedence, key); an insert puts it in its WHERE, so a
 * recipient whose preferences refuse the notification gets no row, without a query of their own.
 * Prefixes compare with substr, never LIKE: `_` is a LIKE wildcard, and types contain it.
 */
export function inAppAllowed(userId: SqlOperand, type: SqlOperand, topic: SqlOperand, defaultAllowed: boolean): SqlFragment {
  const parameters: unknown[] = [];
  const operand = (value: SqlOperand) => {
    if ('sql' in value) return value.sql;
    parameters.push(value.value);
    return '?';
  };
  const user = operand(userId);
  const exact = operand(type);
  const prefixed = operand(type);
  // A topic that is a known null (a send to users, a broadcast) matches no topic rule.
  const topicMatch = 'value' in topic && topic.value === null ? '' : `OR (rule.precedence = 2 AND rule.key = ${operand(topic)})`;
  const sql = `COALESCE((SELECT rule.in_app FROM notification_in_app_rules rule
    WHERE rule.user_id = ${user} AND ((rule.precedence = 0 AND rule.key = ${exact})
      OR (rule.precedence = 1 AND rule.key = substr(${prefixed}, 1, length(rule.key))) ${topicMatch} OR rule.precedence = 3)
    ORDER BY rule.precedence, length(rule.key) DESC LIMIT 1), ${defaultAllowed ? 1 : 0}) = 1`;
  return { sql, parameters };
}

/**
 * What an insert of this notification into inboxes adds to its WHERE for the recipient in
 * `userIdColumn`: the in-app rule, or nothing that filters for a critical notification.
 */
export function inboxAdmits(userIdColumn: string, content: NotificationContent, defaultAllowed: boolean): SqlFragment {
  if (content.critical) return { sql: '1 = 1', parameters: [] };
  return inAppAllowed({ sql: userIdColumn }, { value: content.type }, { value: content.topic }, defaultAllowed);
}

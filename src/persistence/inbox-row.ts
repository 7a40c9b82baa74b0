import { NotificationContent, NotificationView } from '../model/notification.view';

/**
 * The columns every inbox insert fills from the notification, after `user_id`: its key, and
 * the copies of what inbox queries filter and count by (expiry, type, topic), so those need no
 * join (migration 1766000000000).
 */
export const INBOX_ROW_COLUMNS = 'notification_id, created_at, expires_at, type, topic';

/** The values of INBOX_ROW_COLUMNS for a notification, in order. */
export function inboxRowValues(content: NotificationContent): unknown[] {
  return [content.id, content.createdAt, content.expiresAt, content.type, content.topic];
}

/** The columns that inbox queries select, named as the view's fields. */
export const INBOX_COLUMNS = `r.cursor AS "cursor", n.id AS "id", n.type AS "type", n.title AS "title",
  n.body AS "body", n.data AS "data", n.priority AS "priority", n.topic AS "topic",
  n.created_at AS "createdAt", n.expires_at AS "expiresAt", r.delivered_at AS "deliveredAt", r.read_at AS "readAt",
  COALESCE(r.seen_at, r.read_at) AS "seenAt", r.archived_at AS "archivedAt", n.critical AS "critical",
  n.actions AS "actions", r.action_id AS "actionId", r.actioned_at AS "actionedAt", n.group_key AS "groupKey",
  r.group_count AS "groupCount", r.replaces AS "replaces"`;

/** Turns an inbox row (INBOX_COLUMNS) into the contract's object. */
export function toNotificationView(row: Record<string, any>): NotificationView {
  return {
    id: row.id,
    cursor: String(row.cursor),
    type: row.type,
    title: row.title,
    body: row.body ?? null,
    data: row.data == null ? null : JSON.parse(row.data),
    priority: row.priority,
    topic: row.topic ?? null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt ?? null,
    deliveredAt: row.deliveredAt ?? null,
    readAt: row.readAt ?? null,
    seenAt: row.seenAt ?? null,
    archivedAt: row.archivedAt ?? null,
    // A snoozed entry has no inbox row, so every row read here is unsnoozed.
    snoozedUntil: null,
    critical: row.critical === 1,
    actions: row.actions == null ? [] : JSON.parse(row.actions),
    actionId: row.actionId ?? null,
    actionedAt: row.actionedAt ?? null,
    groupKey: row.groupKey ?? null,
    groupCount: Number(row.groupCount ?? 1),
    replaces: row.replaces ?? null,
  };
}

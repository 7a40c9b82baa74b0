import { NotificationView } from '../model/notification.view';

/** The columns that inbox queries select, named as the view's fields. */
export const INBOX_COLUMNS = `r.cursor AS "cursor", n.id AS "id", n.type AS "type", n.title AS "title",
  n.body AS "body", n.data AS "data", n.priority AS "priority", n.topic AS "topic",
  n.created_at AS "createdAt", n.expires_at AS "expiresAt", r.delivered_at AS "deliveredAt", r.read_at AS "readAt", n.critical AS "critical"`;

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
    // A snoozed entry has no inbox row, so every row read here is unsnoozed.
    snoozedUntil: null,
    critical: row.critical === 1,
  };
}

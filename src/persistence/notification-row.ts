import { EntityManager } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { NotificationContent } from '../model/notification.view';
import { textForStorage, textFromStorage } from './postgres-text';
import { isPostgres } from './sql';

/** The columns of a notification read back as its content (toContent). */
export const CONTENT_COLUMNS = `id, type, title, body, data, priority, topic, created_at AS "createdAt", expires_at AS "expiresAt", critical, actions, group_key AS "groupKey"`;

/** A notification read back; on PostgreSQL its title and body are stored escaped (see postgres-text.ts). */
export function toContent(manager: EntityManager, row: Record<string, any>): NotificationContent {
  const text = textFromStorage(isPostgres(manager));
  return {
    id: row.id,
    type: row.type,
    title: text(row.title),
    body: text(row.body ?? null),
    data: row.data == null ? null : JSON.parse(row.data),
    priority: row.priority,
    topic: row.topic ?? null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt ?? null,
    critical: row.critical === 1,
    actions: row.actions == null ? [] : JSON.parse(row.actions),
    groupKey: row.groupKey ?? null,
  };
}

/** The statement that stores a notification with its audience (insertNotification, and the one-round-trip send). */
export function notificationInsert(
  content: NotificationContent,
  senderId: string | null,
  audience: NotificationAudience,
  deliverAt: string | null,
  held: boolean,
  postgres: boolean,
  /** The tenant the notification belongs to ('' without tenancy): broadcasts are read by it. */
  tenantId = '',
): { text: string; values: Array<string | number | null> } {
  const text = textForStorage(postgres);
  return {
    text: `INSERT INTO notifications (id, type, title, body, data, priority, topic, sender_id, created_at, expires_at,
      audience, deliver_at, pending_audience, critical, actions, group_key, tenant_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: [
      content.id,
      content.type,
      text(content.title),
      text(content.body),
      content.data === null ? null : JSON.stringify(content.data),
      content.priority,
      content.topic,
      senderId,
      content.createdAt,
      content.expiresAt,
      audience.kind,
      deliverAt,
      held ? JSON.stringify(audience) : null,
      content.critical ? 1 : 0,
      content.actions.length === 0 ? null : JSON.stringify(content.actions),
      content.groupKey,
      tenantId,
    ],
  };
}

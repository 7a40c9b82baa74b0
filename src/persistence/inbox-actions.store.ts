import { EntityManager } from 'typeorm';
import { NotificationContent } from '../model/notification.view';
import { CONTENT_COLUMNS, toContent } from './notification-row';
import { UNREAD_ROW } from './notifications.store';
import { runSql } from './sql';

/** A user's inbox row as an action finds it: the notification, and what this user did with it. */
export interface ActionTarget {
  notification: NotificationContent;
  actionId: string | null;
  actionedAt: string | null;
}

/** The SQL of actions: which one a user took on a notification, recorded once. */
export class InboxActionsStore {
  /** The user's unexpired row of this notification (archived ones too), or undefined when they have none. */
  async find(manager: EntityManager, userId: string, id: string, now: string): Promise<ActionTarget | undefined> {
    const { rows } = await runSql(
      manager,
      `SELECT action_id AS "actionId", actioned_at AS "actionedAt" FROM notification_recipients
       WHERE user_id = ? AND notification_id = ? AND (expires_at IS NULL OR expires_at > ?)`,
      [userId, id, now],
    );
    if (rows.length === 0) return undefined;
    const content = await runSql(manager, `SELECT ${CONTENT_COLUMNS} FROM notifications WHERE id = ?`, [id]);
    if (content.rows.length === 0) return undefined;
    return {
      notification: toContent(manager, content.rows[0]),
      actionId: rows[0].actionId ?? null,
      actionedAt: rows[0].actionedAt ?? null,
    };
  }

  /**
   * Records the action unless one was taken already, and marks the row read; returns whether
   * it recorded it and whether the row was unread (counted) before. Conditional on no action,
   * so of two concurrent takes exactly one records (the other re-reads what won).
   */
  async record(manager: EntityManager, userId: string, id: string, actionId: string, now: string) {
    const { rows } = await runSql(
      manager,
      `SELECT 1 AS "unread" FROM notification_recipients WHERE user_id = ? AND notification_id = ? AND ${UNREAD_ROW}`,
      [userId, id, now],
    );
    const { affected } = await runSql(
      manager,
      `UPDATE notification_recipients SET action_id = ?, actioned_at = ?, read_at = COALESCE(read_at, ?), seen_at = COALESCE(seen_at, ?)
       WHERE user_id = ? AND notification_id = ? AND action_id IS NULL`,
      [actionId, now, now, now, userId, id],
    );
    return { recorded: affected > 0, wasUnread: rows.length > 0 };
  }
}

import { EntityManager } from 'typeorm';
import { NotificationContent } from '../model/notification.view';
import { lockInboxes, previousCursorOf } from './inbox-locks';
import { CONTENT_COLUMNS, toContent } from './notification-row';
import { StoredRecipient, toStoredRecipient } from './notifications.store';
import { textFromStorage } from './postgres-text';
import { isPostgres, limitClause, runSql } from './sql';
import { INBOX_ROW_COLUMNS, inboxRowValues } from './inbox-row';

/** A snoozed entry now due: whose, and which notification. */
export interface DueSnooze {
  userId: string;
  notificationId: string;
}

/** A user's snoozed entry as the export shows it. */
export interface SnoozedEntry {
  id: string;
  type: string;
  title: string;
  snoozedAt: string;
  snoozedUntil: string;
}

/**
 * The SQL of snoozes. A snoozed entry leaves `notification_recipients` for
 * `notification_snoozes`, so no inbox query needs a condition for it; the release takes it
 * back with one conditional DELETE, so of several nodes releasing at once exactly one gets it.
 */
export class SnoozesStore {
  /**
   * Moves the user's unarchived, unexpired entry of this notification out of the inbox into
   * the snoozes until `until`. False when the user has no such entry (someone else's, archived,
   * expired, or already snoozed): then nothing changed.
   */
  async snooze(manager: EntityManager, userId: string, id: string, until: string, now: string): Promise<boolean> {
    const { rows } = await runSql(
      manager,
      `DELETE FROM notification_recipients
       WHERE user_id = ? AND notification_id = ? AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
       RETURNING expires_at AS "expiresAt", ${KEPT_STATE}`,
      [userId, id, now],
    );
    if (rows.length === 0) return false;
    const [row] = rows;
    await runSql(
      manager,
      `INSERT INTO notification_snoozes (notification_id, user_id, until, snoozed_at, expires_at, action_id, actioned_at, group_count, replaces)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        userId,
        until,
        now,
        row.expiresAt ?? null,
        row.actionId ?? null,
        row.actionedAt ?? null,
        Number(row.groupCount ?? 1),
        row.replaces ?? null,
      ],
    );
    return true;
  }

  /** Snoozes due at `now`, soonest first. */
  async findDue(manager: EntityManager, now: string, limit: number): Promise<DueSnooze[]> {
    const { rows } = await runSql(
      manager,
      `SELECT user_id AS "userId", notification_id AS "notificationId" FROM notification_snoozes
       WHERE until <= ? ORDER BY until ${limitClause(limit)}`,
      [now],
    );
    return rows.map((row) => ({ userId: row.userId, notificationId: row.notificationId }));
  }

  /**
   * Takes a due snooze out (once, even with several nodes releasing) and returns the
   * notification's content; undefined when another node took it first. The caller puts the
   * entry back in the inbox in the same transaction, unless the content has expired.
   */
  async release(manager: EntityManager, due: DueSnooze, now: string): Promise<ReleasedSnooze | undefined> {
    const { rows: taken } = await runSql(
      manager,
      `DELETE FROM notification_snoozes WHERE notification_id = ? AND user_id = ? AND until <= ? RETURNING ${KEPT_STATE}`,
      [due.notificationId, due.userId, now],
    );
    if (taken.length === 0) return undefined;
    const { rows } = await runSql(manager, `SELECT ${CONTENT_COLUMNS} FROM notifications WHERE id = ?`, [due.notificationId]);
    if (rows.length === 0) return undefined;
    const [kept] = taken;
    const state = {
      actionId: kept.actionId ?? null,
      actionedAt: kept.actionedAt ?? null,
      groupCount: Number(kept.groupCount ?? 1),
      replaces: kept.replaces ?? null,
    };
    return { content: toContent(manager, rows[0]), state };
  }

  /**
   * Puts a released snooze back in the user's inbox as a new entry: a new cursor, unread,
   * unacknowledged, created `now` (so retention counts its age from its return). On
   * PostgreSQL under the user's inbox lock, as a send's rows are (inbox-locks.ts). Undefined
   * if the user has an entry for it already (nothing stores one meanwhile; this keeps a
   * stray one from failing every release after it).
   */
  async reinsert(
    manager: EntityManager,
    userId: string,
    { content, state }: ReleasedSnooze,
    now: string,
  ): Promise<StoredRecipient | undefined> {
    const postgres = isPostgres(manager);
    if (postgres) await lockInboxes(manager, [userId]);
    const { rows } = await runSql(
      manager,
      // Its groupKey comes back with it, so a later send of the key replaces it (grouped-inbox.ts).
      `INSERT INTO notification_recipients (user_id, ${INBOX_ROW_COLUMNS}, group_key, action_id, actioned_at, group_count, replaces)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, notification_id) DO NOTHING
       RETURNING cursor, user_id AS "userId"${postgres ? `, ${previousCursorOf('notification_recipients')} AS "previousCursor"` : ''}`,
      [
        userId,
        ...inboxRowValues({ ...content, createdAt: now }),
        content.groupKey,
        state.actionId,
        state.actionedAt,
        state.groupCount,
        state.replaces,
      ],
    );
    return rows.length > 0 ? toStoredRecipient(rows[0], postgres) : undefined;
  }

  /** A page of the user's snoozed entries after notification id `after`, by notification id. */
  async listOfUser(manager: EntityManager, userId: string, after: string, limit: number): Promise<SnoozedEntry[]> {
    const { rows } = await runSql(
      manager,
      `SELECT n.id, n.type, n.title, s.snoozed_at AS "snoozedAt", s.until AS "snoozedUntil"
       FROM notification_snoozes s JOIN notifications n ON n.id = s.notification_id
       WHERE s.user_id = ? AND s.notification_id > ? ORDER BY s.notification_id ${limitClause(limit)}`,
      [userId, after],
    );
    const text = textFromStorage(isPostgres(manager));
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      title: text(row.title),
      snoozedAt: row.snoozedAt,
      snoozedUntil: row.snoozedUntil,
    }));
  }
}

/** SQL: no user has notification `n` snoozed (retention and erasure keep what a snooze will bring back). */
/** The inbox entry's own state that a snooze keeps: the action taken and its place in a group. */
const KEPT_STATE = `action_id AS "actionId", actioned_at AS "actionedAt", group_count AS "groupCount", replaces AS "replaces"`;

/** A snooze taken out for its return: the notification, and the entry's own state to restore. */
export interface ReleasedSnooze {
  content: NotificationContent;
  state: { actionId: string | null; actionedAt: string | null; groupCount: number; replaces: string | null };
}

export const NOT_SNOOZED = 'NOT EXISTS (SELECT 1 FROM notification_snoozes s WHERE s.notification_id = n.id)';

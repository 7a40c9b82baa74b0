import { EntityManager } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { NotificationContent } from '../model/notification.view';
import { inAppAllowed, inboxAdmits, SqlFragment } from './in-app-rules';
import { inboxBucket, lockInboxes, lockTopicInboxes, previousCursorOf } from './inbox-locks';
import { StoredRecipient, toStoredRecipient, UNREAD_ROW, UNSEEN_TALLY } from './notifications.store';
import { CONTENT_COLUMNS, notificationInsert, toContent } from './notification-row';
import { archiveReplaced, groupedInsert } from './grouped-inbox';
import { chunk, isPostgres, limitClause, placeholders, runSql } from './sql';
import { INBOX_ROW_COLUMNS, inboxRowValues } from './inbox-row';

/** A user's inbox as a session opens: see AudienceStore.openingState. */
export interface OpeningState {
  unreadCount: number;
  /** Of those unread, how many the user has not seen. */
  unseenCount: number;
  /** The latest cursor, archived, expired and acknowledged rows included ('0' when none). */
  latestCursor: string;
  missingBroadcast: boolean;
}

/** The inbox locks a topic send holds: the buckets it may write to on PostgreSQL, undefined on SQLite. */
export interface TopicLock {
  buckets: number[] | undefined;
}

/** Rows per statement, as in NotificationsStore. */
export const AUDIENCE_PAGE_SIZE = 500;

/**
 * The SQL of topics, broadcasts, scheduled and expiring notifications. Every method issues
 * a fixed number of statements per AUDIENCE_PAGE_SIZE rows, whatever the audience size.
 */
export class AudienceStore {
  /** Stores a notification with its audience; a held one keeps the audience to reach when due. */
  async insertNotification(
    manager: EntityManager,
    content: NotificationContent,
    senderId: string | null,
    audience: NotificationAudience,
    deliverAt: string | null,
    held: boolean,
    tenantId = '',
  ): Promise<void> {
    const { text, values } = notificationInsert(content, senderId, audience, deliverAt, held, isPostgres(manager), tenantId);
    await runSql(manager, text, [...values]);
  }

  async subscribe(manager: EntityManager, topic: string, userId: string, now: string): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO notification_topic_subscriptions (topic, user_id, created_at) VALUES (?, ?, ?)
       ON CONFLICT (topic, user_id) DO NOTHING`,
      [topic, userId, now],
    );
  }

  async unsubscribe(manager: EntityManager, topic: string, userId: string): Promise<void> {
    await runSql(manager, `DELETE FROM notification_topic_subscriptions WHERE topic = ? AND user_id = ?`, [topic, userId]);
  }

  /** The topic's subscribers; with a send's lock, only those its pages can reach (the buckets it locked). */
  async countSubscribers(manager: EntityManager, topic: string, lock?: TopicLock): Promise<number> {
    const buckets = lock?.buckets;
    const { rows } = await runSql(
      manager,
      `SELECT COUNT(*) AS "count" FROM notification_topic_subscriptions
       WHERE topic = ?${buckets ? ` AND ${inboxBucket('user_id')} = ANY(?::int[])` : ''}`,
      buckets ? [topic, buckets] : [topic],
    );
    return Number(rows[0].count);
  }

  /**
   * Locks the inboxes of the topic's subscribers (PostgreSQL only: see inbox-locks.ts), once
   * per send before its first page; what it returns goes to every insertTopicPage.
   */
  async lockTopic(manager: EntityManager, topic: string): Promise<TopicLock> {
    return { buckets: isPostgres(manager) ? await lockTopicInboxes(manager, topic) : undefined };
  }

  /**
   * Puts the notification in the inbox of the next page of the topic's subscribers whose
   * preferences let it in, in user id order after `afterUserId` (those it leaves out are
   * skipped inside the statement). One statement per page; returns the page's recipients.
   */
  async insertTopicPage(
    manager: EntityManager,
    content: NotificationContent,
    topic: string,
    afterUserId: string | null,
    lock: TopicLock,
    inAppDefault = true,
  ): Promise<StoredRecipient[]> {
    const postgres = lock.buckets !== undefined;
    const admits = inboxAdmits('s.user_id', content, inAppDefault);
    const now = new Date().toISOString();
    // A grouped send replaces each subscriber's unread row of its key (grouped-inbox.ts).
    const group = groupedInsert(content, 's.user_id', now);
    const parameters: unknown[] = [...inboxRowValues(content), ...group.parameters, topic, afterUserId ?? ''];
    if (postgres) parameters.push(lock.buckets);
    parameters.push(...admits.parameters);
    const { rows } = await runSql(
      manager,
      `INSERT INTO notification_recipients (user_id, ${INBOX_ROW_COLUMNS}${group.columns})
       SELECT s.user_id, ?, ?, ?, ?, ?${group.values} FROM notification_topic_subscriptions s
       WHERE s.topic = ? AND s.user_id > ? ${postgres ? `AND ${inboxBucket('s.user_id')} = ANY(?::int[])` : ''}
         AND ${admits.sql}
       ORDER BY s.user_id ${limitClause(AUDIENCE_PAGE_SIZE)}
       RETURNING cursor, user_id AS "userId"${postgres ? `, ${previousCursorOf('notification_recipients')} AS "previousCursor"` : ''}${group.returning}`,
      parameters,
    );
    // Cursors are handed out in the SELECT's order, so the highest cursor marks the page's last
    // user in the database's own collation (which JavaScript's string order need not match).
    const stored = rows.map((row) => toStoredRecipient(row, postgres));
    await archiveReplaced(
      manager,
      content,
      stored.map((recipient) => recipient.userId),
      now,
    );
    return stored.sort((a, b) => Number(a.cursor) - Number(b.cursor));
  }

  /** A released, unexpired broadcast's content and tenant; undefined when it is gone, held or expired. */
  async findLiveBroadcast(
    manager: EntityManager,
    id: string,
    now: string,
  ): Promise<{ content: NotificationContent; tenantId: string } | undefined> {
    const { rows } = await runSql(
      manager,
      `SELECT ${CONTENT_COLUMNS}, tenant_id AS "tenantId" FROM notifications WHERE id = ? AND audience = 'broadcast'
         AND pending_audience IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
      [id, now],
    );
    return rows.length > 0 ? { content: toContent(manager, rows[0]), tenantId: rows[0].tenantId } : undefined;
  }

  /**
   * Puts a broadcast in the inboxes of these users whose preferences let it in (those who
   * already have it keep their row) and returns each user's cursor for it, except where they
   * archived it, and how many rows it created. On PostgreSQL it locks their inboxes first and
   * returns each cursor's predecessor too (see inbox-locks.ts).
   */
  async claimBroadcast(
    manager: EntityManager,
    content: NotificationContent,
    userIds: readonly string[],
    inAppDefault = true,
  ): Promise<{ recipients: StoredRecipient[]; created: number }> {
    const postgres = isPostgres(manager);
    if (postgres) await lockInboxes(manager, userIds);
    const admits = inboxAdmits('audience.column1', content, inAppDefault);
    const stored: StoredRecipient[] = [];
    let created = 0;
    for (const users of chunk(userIds, AUDIENCE_PAGE_SIZE)) {
      // The WHERE also keeps SQLite from reading ON CONFLICT as a join's ON.
      const { affected } = await runSql(
        manager,
        `INSERT INTO notification_recipients (user_id, ${INBOX_ROW_COLUMNS})
         SELECT audience.column1, ?, ?, ?, ?, ? FROM (VALUES ${users.map(() => '(?)').join(', ')}) AS audience
         WHERE ${admits.sql}
         ON CONFLICT (user_id, notification_id) DO NOTHING`,
        [...inboxRowValues(content), ...users, ...admits.parameters],
      );
      created += affected;
      const { rows } = await runSql(
        manager,
        `SELECT r.cursor, r.user_id AS "userId"${postgres ? `, ${previousCursorOf('r')} AS "previousCursor"` : ''}
         FROM notification_recipients r
         WHERE r.notification_id = ? AND r.archived_at IS NULL AND r.user_id IN (${placeholders(users.length)})`,
        [content.id, ...users],
      );
      stored.push(...rows.map((row) => toStoredRecipient(row, postgres)));
    }
    return { recipients: stored, created };
  }

  /**
   * What a session needs before its backlog, in one statement: the unread count, the latest
   * cursor, and whether a broadcast is missing from the inbox (then the caller puts it there
   * and asks again).
   */
  async openingState(manager: EntityManager, userId: string, now: string, inAppDefault = true, tenantId = ''): Promise<OpeningState> {
    const missing = missingBroadcast(userId, now, inAppDefault, tenantId);
    const { rows } = await runSql(
      manager,
      `SELECT counts.unread AS "unread", counts.unseen AS "unseen",
         (SELECT MAX(cursor) FROM notification_recipients WHERE user_id = ?) AS "latestCursor",
         (SELECT 1 FROM notifications n WHERE ${missing.sql} LIMIT 1) AS "missingBroadcast"
       FROM (SELECT COUNT(*) AS unread, ${UNSEEN_TALLY} AS unseen FROM notification_recipients WHERE user_id = ? AND ${UNREAD_ROW}) counts`,
      [userId, ...missing.parameters, userId, now],
    );
    const [row] = rows;
    return {
      unreadCount: Number(row.unread),
      unseenCount: Number(row.unseen ?? 0),
      latestCursor: row.latestCursor == null ? '0' : String(row.latestCursor),
      missingBroadcast: row.missingBroadcast != null,
    };
  }

  /** Whether a released, unexpired broadcast that the user's preferences let in is missing from their inbox. */
  async hasMissingBroadcast(manager: EntityManager, userId: string, now: string, inAppDefault = true, tenantId = ''): Promise<boolean> {
    const missing = missingBroadcast(userId, now, inAppDefault, tenantId);
    const { rows } = await runSql(manager, `SELECT 1 AS "found" FROM notifications n WHERE ${missing.sql} LIMIT 1`, missing.parameters);
    return rows.length > 0;
  }

  /**
   * Puts every released, unexpired broadcast the user lacks in their inbox, oldest first: those
   * their preferences let in now (a broadcast meets each user's preferences when it reaches
   * their inbox, not when it was sent).
   */
  async materializeBroadcasts(manager: EntityManager, userId: string, now: string, inAppDefault = true, tenantId = ''): Promise<number> {
    if (isPostgres(manager)) await lockInboxes(manager, [userId]);
    const missing = missingBroadcast(userId, now, inAppDefault, tenantId);
    const { affected } = await runSql(
      manager,
      `INSERT INTO notification_recipients (user_id, ${INBOX_ROW_COLUMNS})
       SELECT ?, n.id, n.created_at, n.expires_at, n.type, n.topic FROM notifications n
       WHERE ${missing.sql} ORDER BY n.created_at, n.id`,
      [userId, ...missing.parameters],
    );
    return affected;
  }

  /** Ids of held notifications now due, earliest first. */
  async findDue(manager: EntityManager, now: string, limit: number): Promise<string[]> {
    const { rows } = await runSql(
      manager,
      `SELECT id FROM notifications WHERE pending_audience IS NOT NULL AND deliver_at <= ? ORDER BY deliver_at ${limitClause(limit)}`,
      [now],
    );
    return rows.map((row) => row.id as string);
  }

  /**
   * Takes a held notification that is due out of the hold (once, even with several nodes
   * polling) and returns its content and audience; undefined when another node released it
   * first, or its sender cancelled it or moved it (ScheduledSendsStore) since it was found due.
   * The UPDATE is conditional on the row as read, so a cancel or a move that commits between
   * the two statements wins, never both.
   */
  async release(
    manager: EntityManager,
    id: string,
    now: string,
  ): Promise<{ content: NotificationContent; audience: NotificationAudience } | undefined> {
    const { rows } = await runSql(
      manager,
      `SELECT ${CONTENT_COLUMNS}, pending_audience AS "pendingAudience", deliver_at AS "deliverAt" FROM notifications
       WHERE id = ? AND pending_audience IS NOT NULL AND deliver_at <= ?`,
      [id, now],
    );
    if (rows.length === 0) return undefined;
    const { affected } = await runSql(
      manager,
      `UPDATE notifications SET pending_audience = NULL WHERE id = ? AND pending_audience IS NOT NULL AND deliver_at = ?`,
      [id, rows[0].deliverAt],
    );
    if (affected === 0) return undefined;
    return { content: toContent(manager, rows[0]), audience: JSON.parse(rows[0].pendingAudience) };
  }

  /** Deletes up to `limit` expired notifications with their inbox rows and snoozes; returns how many. */
  async deleteExpired(manager: EntityManager, now: string, limit: number): Promise<number> {
    const { rows } = await runSql(
      manager,
      `SELECT id FROM notifications WHERE expires_at IS NOT NULL AND expires_at <= ? ${limitClause(limit)}`,
      [now],
    );
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id as string);
    await runSql(manager, `DELETE FROM notification_recipients WHERE notification_id IN (${placeholders(ids.length)})`, ids);
    await runSql(manager, `DELETE FROM notification_snoozes WHERE notification_id IN (${placeholders(ids.length)})`, ids);
    await runSql(manager, `DELETE FROM notifications WHERE id IN (${placeholders(ids.length)})`, ids);
    return ids.length;
  }
}

/**
 * A released, unexpired broadcast `n` of the user's tenant ('' without tenancy) that the user
 * has no inbox row for (nor a snooze: it comes back when due), and that is critical or their
 * preferences let in.
 */
function missingBroadcast(userId: string, now: string, inAppDefault: boolean, tenantId: string): SqlFragment {
  const admits = inAppAllowed({ value: userId }, { sql: 'n.type' }, { sql: 'n.topic' }, inAppDefault);
  return {
    sql: `n.audience = 'broadcast' AND n.pending_audience IS NULL AND n.tenant_id = ?
      AND (n.expires_at IS NULL OR n.expires_at > ?)
      AND NOT EXISTS (SELECT 1 FROM notification_recipients r WHERE r.notification_id = n.id AND r.user_id = ?)
      AND NOT EXISTS (SELECT 1 FROM notification_snoozes s WHERE s.notification_id = n.id AND s.user_id = ?)
      AND (n.critical = 1 OR ${admits.sql})`,
    parameters: [tenantId, now, userId, userId, ...admits.parameters],
  };
}

import { EntityManager } from 'typeorm';
import { textFromStorage } from './postgres-text';
import { isPostgres, limitClause, runSql } from './sql';

/** What the audit filters sends by; absent fields do not filter. */
export interface SentFilter {
  senderId?: string;
  /** Only this tenant's sends ('' is the default tenant: every send without tenancy). */
  tenantId?: string;
  type?: string;
  /** ISO 8601 UTC, as stored. */
  since?: string;
}

/** A sent notification's own columns, before its inbox entries are counted. */
export interface SentRow {
  id: string;
  type: string;
  title: string;
  senderId: string | null;
  createdAt: string;
  audience: 'users' | 'topic' | 'broadcast';
}

/** The inbox entries of one notification counted so far, and the last user counted. */
export interface EntryCounts {
  recipients: number;
  delivered: number;
  read: number;
  lastUserId: string | null;
}

/**
 * The SQL of the audit of sends. Every statement reads a bounded number of rows, so a unit of
 * work that runs one never holds SQLite's single connection for long, however large the table
 * or the audience.
 */
export class SentNotificationsStore {
  /**
   * The next `window` notifications before `beforeId` (newest first, by id: UUIDv7, so by when
   * they were sent), of one sender when the filter names one (its index); each says whether it
   * matches the rest of the filter. Fewer than `window` rows: there are no older ones.
   */
  async scan(manager: EntityManager, filter: SentFilter, beforeId: string | null, window: number) {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (filter.senderId !== undefined) {
      conditions.push('n.sender_id = ?');
      parameters.push(filter.senderId);
    }
    if (filter.tenantId !== undefined) {
      conditions.push('n.tenant_id = ?');
      parameters.push(filter.tenantId);
    }
    if (beforeId !== null) {
      conditions.push('n.id < ?');
      parameters.push(beforeId);
    }
    const matches: string[] = [];
    const matchParameters: unknown[] = [];
    if (filter.type !== undefined) {
      matches.push('n.type = ?');
      matchParameters.push(filter.type);
    }
    if (filter.since !== undefined) {
      matches.push('n.created_at >= ?');
      matchParameters.push(filter.since);
    }
    const { rows } = await runSql(
      manager,
      `SELECT n.id, n.type, n.title, n.sender_id AS "senderId", n.created_at AS "createdAt", n.audience,
         ${matches.length > 0 ? `CASE WHEN ${matches.join(' AND ')} THEN 1 ELSE 0 END` : '1'} AS "matches"
       FROM notifications n ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY n.id DESC ${limitClause(window)}`,
      [...matchParameters, ...parameters],
    );
    const text = textFromStorage(isPostgres(manager));
    const sent: SentRow[] = rows
      .filter((row) => Number(row.matches) === 1)
      .map((row) => ({
        id: row.id,
        type: row.type,
        title: text(row.title as string),
        senderId: row.senderId ?? null,
        createdAt: row.createdAt,
        audience: row.audience,
      }));
    return { sent, lastId: rows.length < window ? null : (rows[rows.length - 1].id as string) };
  }

  /** Counts up to `window` inbox entries of a notification after `afterUserId`, in user order. */
  async countEntries(manager: EntityManager, notificationId: string, afterUserId: string, window: number): Promise<EntryCounts> {
    const { rows } = await runSql(
      manager,
      `SELECT COUNT(*) AS "recipients",
         SUM(CASE WHEN delivered_at IS NOT NULL OR read_at IS NOT NULL THEN 1 ELSE 0 END) AS "delivered",
         COUNT(read_at) AS "read", MAX(user_id) AS "lastUserId"
       FROM (SELECT user_id, delivered_at, read_at FROM notification_recipients
             WHERE notification_id = ? AND user_id > ? ORDER BY user_id ${limitClause(window)}) entries`,
      [notificationId, afterUserId],
    );
    const [counts] = rows;
    return {
      recipients: Number(counts.recipients),
      delivered: Number(counts.delivered ?? 0),
      read: Number(counts.read),
      lastUserId: counts.lastUserId ?? null,
    };
  }
}

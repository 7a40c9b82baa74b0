import { EntityManager } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { NotificationContent } from '../model/notification.view';
import { ScheduledNotificationView, ScheduledPosition } from '../model/scheduled-notification';
import { CONTENT_COLUMNS, toContent } from './notification-row';
import { limitClause, runSql } from './sql';

const HELD_COLUMNS = `${CONTENT_COLUMNS}, deliver_at AS "deliverAt", pending_audience AS "pendingAudience"`;

/** A held send as stored, read back: what its list shows, and what its lifecycle events carry. */
export interface HeldSend {
  view: ScheduledNotificationView;
  content: NotificationContent;
  audience: NotificationAudience;
}

/**
 * The SQL of a sender's held sends (`deliverAt` in the future, `pending_audience` set until
 * the release). Moving and cancelling are single conditional statements on
 * `pending_audience IS NOT NULL`, as the release is (AudienceStore.release): whichever of a
 * release, a move and a cancel commits first, the others find the row changed and do nothing.
 */
export class ScheduledSendsStore {
  /** A page of the sender's held sends, soonest first (ties by id), after `after`. */
  async list(manager: EntityManager, senderId: string | null, after: ScheduledPosition | undefined, limit: number): Promise<HeldSend[]> {
    const parameters: unknown[] = senderId === null ? [] : [senderId];
    let keyset = '';
    if (after) {
      keyset = 'AND (deliver_at, id) > (?, ?)';
      parameters.push(after.deliverAt, after.id);
    }
    const { rows } = await runSql(
      manager,
      `SELECT ${HELD_COLUMNS} FROM notifications
       WHERE ${senderCondition(senderId)} AND pending_audience IS NOT NULL ${keyset}
       ORDER BY deliver_at, id ${limitClause(limit)}`,
      parameters,
    );
    return rows.map((row) => toHeldSend(manager, row));
  }

  /**
   * Moves the sender's held send to `deliverAt`; its `createdAt` and `expiresAt` move with it
   * (a held send is created when it is released, and its TTL counts from then). Undefined when
   * the sender has no such send still held: released, cancelled, or someone else's.
   */
  async move(manager: EntityManager, senderId: string | null, id: string, deliverAt: string): Promise<HeldSend | undefined> {
    const sender = senderId === null ? [] : [senderId];
    const { rows: found } = await runSql(
      manager,
      `SELECT created_at AS "createdAt", expires_at AS "expiresAt" FROM notifications
       WHERE id = ? AND ${senderCondition(senderId)} AND pending_audience IS NOT NULL`,
      [id, ...sender],
    );
    if (found.length === 0) return undefined;
    // The TTL is the same for every move, so a move racing this one cannot make it wrong.
    const ttlMs = found[0].expiresAt == null ? null : Date.parse(found[0].expiresAt) - Date.parse(found[0].createdAt);
    const expiresAt = ttlMs === null ? null : new Date(Date.parse(deliverAt) + ttlMs).toISOString();
    const { rows } = await runSql(
      manager,
      `UPDATE notifications SET deliver_at = ?, created_at = ?, expires_at = ?
       WHERE id = ? AND ${senderCondition(senderId)} AND pending_audience IS NOT NULL
       RETURNING ${HELD_COLUMNS}`,
      [deliverAt, deliverAt, expiresAt, id, ...sender],
    );
    return rows.length > 0 ? toHeldSend(manager, rows[0]) : undefined;
  }

  /**
   * Deletes the sender's held send (it is in no inbox yet, so the row is all there is).
   * Undefined when the sender has no such send still held.
   */
  async cancel(manager: EntityManager, senderId: string | null, id: string): Promise<HeldSend | undefined> {
    const { rows } = await runSql(
      manager,
      `DELETE FROM notifications WHERE id = ? AND ${senderCondition(senderId)} AND pending_audience IS NOT NULL
       RETURNING ${HELD_COLUMNS}`,
      senderId === null ? [id] : [id, senderId],
    );
    return rows.length > 0 ? toHeldSend(manager, rows[0]) : undefined;
  }
}

/** Host code sends without a sender id: its held sends are those stored with none. */
function senderCondition(senderId: string | null): string {
  return senderId === null ? 'sender_id IS NULL' : 'sender_id = ?';
}

function toHeldSend(manager: EntityManager, row: Record<string, any>): HeldSend {
  const audience = JSON.parse(row.pendingAudience) as NotificationAudience;
  const content: NotificationContent = toContent(manager, row);
  const view: ScheduledNotificationView = {
    id: content.id,
    userIds: audience.kind === 'users' ? audience.userIds : null,
    topic: audience.kind === 'topic' ? audience.topic : null,
    broadcast: audience.kind === 'broadcast',
    type: content.type,
    title: content.title,
    body: content.body,
    data: content.data,
    priority: content.priority,
    ttlSeconds: content.expiresAt === null ? null : Math.round((Date.parse(content.expiresAt) - Date.parse(content.createdAt)) / 1000),
    deliverAt: row.deliverAt,
  };
  return { view, content, audience };
}

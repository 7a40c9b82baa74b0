import { EntityManager } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { NotificationContent } from '../model/notification.view';
import { ScheduledNotificationView, ScheduledPosition } from '../model/scheduled-notification';
import { CONTENT_COLUMNS, toContent } from './notification-row';
import { limitClause, runSql } from './sql';

const HELD_COLUMNS = `${CONTENT_COLUMNS}, deliver_at AS "deliverAt", pending_audience AS "pendingAudience"`;

/**
 * Whose held sends: a sender's (its key), or host code's that sent without one (null); with
 * tenancy, within one tenant (`notifications.tenant_id`), which is what keeps host code's
 * sends without a sender apart. Undefined `tenantId`: every tenant (there is one, without tenancy).
 */
export interface HeldSendOwner {
  senderId: string | null;
  tenantId?: string;
}

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
  async list(manager: EntityManager, owner: HeldSendOwner, after: ScheduledPosition | undefined, limit: number): Promise<HeldSend[]> {
    const { condition, parameters } = ownerCondition(owner);
    let keyset = '';
    if (after) {
      keyset = 'AND (deliver_at, id) > (?, ?)';
      parameters.push(after.deliverAt, after.id);
    }
    const { rows } = await runSql(
      manager,
      `SELECT ${HELD_COLUMNS} FROM notifications
       WHERE ${condition} AND pending_audience IS NOT NULL ${keyset}
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
  async move(manager: EntityManager, owner: HeldSendOwner, id: string, deliverAt: string): Promise<HeldSend | undefined> {
    const { condition, parameters } = ownerCondition(owner);
    const { rows: found } = await runSql(
      manager,
      `SELECT created_at AS "createdAt", expires_at AS "expiresAt" FROM notifications
       WHERE id = ? AND ${condition} AND pending_audience IS NOT NULL`,
      [id, ...parameters],
    );
    if (found.length === 0) return undefined;
    // The TTL is the same for every move, so a move racing this one cannot make it wrong.
    const ttlMs = found[0].expiresAt == null ? null : Date.parse(found[0].expiresAt) - Date.parse(found[0].createdAt);
    const expiresAt = ttlMs === null ? null : new Date(Date.parse(deliverAt) + ttlMs).toISOString();
    const { rows } = await runSql(
      manager,
      `UPDATE notifications SET deliver_at = ?, created_at = ?, expires_at = ?
       WHERE id = ? AND ${condition} AND pending_audience IS NOT NULL
       RETURNING ${HELD_COLUMNS}`,
      [deliverAt, deliverAt, expiresAt, id, ...parameters],
    );
    return rows.length > 0 ? toHeldSend(manager, rows[0]) : undefined;
  }

  /**
   * Deletes the sender's held send (it is in no inbox yet, so the row is all there is).
   * Undefined when the sender has no such send still held.
   */
  async cancel(manager: EntityManager, owner: HeldSendOwner, id: string): Promise<HeldSend | undefined> {
    const { condition, parameters } = ownerCondition(owner);
    const { rows } = await runSql(
      manager,
      `DELETE FROM notifications WHERE id = ? AND ${condition} AND pending_audience IS NOT NULL
       RETURNING ${HELD_COLUMNS}`,
      [id, ...parameters],
    );
    return rows.length > 0 ? toHeldSend(manager, rows[0]) : undefined;
  }
}

/** The owner's rows: host code sends without a sender id, so its held sends are those stored with none (in its tenant). */
function ownerCondition(owner: HeldSendOwner): { condition: string; parameters: unknown[] } {
  const sender = owner.senderId === null ? 'sender_id IS NULL' : 'sender_id = ?';
  const parameters: unknown[] = owner.senderId === null ? [] : [owner.senderId];
  if (owner.tenantId === undefined) return { condition: sender, parameters };
  return { condition: `${sender} AND tenant_id = ?`, parameters: [...parameters, owner.tenantId] };
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

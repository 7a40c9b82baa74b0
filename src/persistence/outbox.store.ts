import { EntityManager } from 'typeorm';
import { chunk, isPostgres, limitClause, placeholders, runSql } from './sql';
import { PostgresValue } from './postgres-literals';
import { NotificationView } from '../model/notification.view';
import { INBOX_COLUMNS, toNotificationView } from './inbox-row';
import { textFromStorage } from './postgres-text';

/** A channel of a notification's plan, with its due times: for users offline at send time, and online ones. */
export interface OutboxPlan {
  channel: string;
  cancelWhen: 'delivered' | 'read';
  dueAt: string;
  onlineDueAt: string;
}

/** A plan claimed by this node: send it, then record the outcome. `status` is `cancelled` when the inbox row settled it first. */
export interface ClaimedPlan {
  id: string;
  notificationId: string;
  userId: string;
  channel: string;
  status: 'pending' | 'cancelled';
  attempts: number;
  plannedAt: string;
  lastError: string | null;
}

/** What a send came to, for one claimed plan. */
export interface PlanOutcome {
  id: string;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  dueAt: string;
  attempts: number;
  error: string | null;
}

/** One try, for the attempts table. */
export interface AttemptRecord {
  notificationId: string;
  userId: string;
  channel: string;
  attempt: number;
  at: string;
  outcome: 'sent' | 'failed' | 'skipped';
  error: string | null;
}

/** A recipient's plans and their states, for the deliveries route. */
export interface PlanState {
  userId: string;
  channel: string;
  status: string;
  attempts: number;
  dueAt: string;
  updatedAt: string;
  lastError: string | null;
}

const ROWS_PER_STATEMENT = 500;
const ERROR_LENGTH = 500;

/**
 * Why an inbox row no longer wants its plan ('' when it still does): read, archived, expired,
 * or acknowledged for a plan that an ack cancels. Parameter: now. `o` is the outbox row.
 */
const SETTLED_BY_INBOX = `COALESCE((SELECT CASE
    WHEN r.read_at IS NOT NULL THEN 'read before it was due'
    WHEN r.archived_at IS NOT NULL THEN 'archived before it was due'
    WHEN r.expires_at IS NOT NULL AND r.expires_at <= ? THEN 'expired before it was due'
    WHEN o.cancel_when = 'delivered' AND r.delivered_at IS NOT NULL THEN 'delivered before it was due'
    ELSE '' END
  FROM notification_recipients r WHERE r.notification_id = o.notification_id AND r.user_id = o.user_id), 'no longer in the inbox')`;

/**
 * The outbox statement of a send: one plan row per recipient of the notification and
 * configured channel, INSERT … SELECT from its inbox rows, in the send's transaction. Users
 * in `onlineUserIds` get `onlineDueAt`. One statement whatever the audience size.
 */
export function outboxInsert(
  postgres: boolean,
  notificationId: string,
  plans: readonly OutboxPlan[],
  onlineUserIds: readonly string[],
  now: string,
): { text: string; values: PostgresValue[] } {
  const planRows = plans.map(
    () => 'SELECT CAST(? AS TEXT) AS channel, CAST(? AS TEXT) AS cancel_when, CAST(? AS TEXT) AS due, CAST(? AS TEXT) AS online_due',
  );
  const online = postgres ? 'r.user_id = ANY(?::text[])' : 'r.user_id IN (SELECT value FROM json_each(?))';
  return {
    text: `INSERT INTO notification_outbox (notification_id, user_id, channel, cancel_when, planned_at, due_at, status, attempts, updated_at)
      SELECT r.notification_id, r.user_id, plan.channel, plan.cancel_when,
        CASE WHEN ${online} THEN plan.online_due ELSE plan.due END,
        CASE WHEN ${online} THEN plan.online_due ELSE plan.due END, 'pending', 0, ?
      FROM notification_recipients r CROSS JOIN (${planRows.join(' UNION ALL ')}) AS plan
      WHERE r.notification_id = ?`,
    values: [
      ...[0, 1].map(() => (postgres ? [...onlineUserIds] : JSON.stringify(onlineUserIds))),
      now,
      ...plans.flatMap((plan) => [plan.channel, plan.cancelWhen, plan.dueAt, plan.onlineDueAt]),
      notificationId,
    ],
  };
}

/** The SQL of the outbox: plans, claims, outcomes and attempts. A fixed number of statements per batch. */
export class OutboxStore {
  async insertPlans(manager: EntityManager, notificationId: string, plans: readonly OutboxPlan[], online: readonly string[], now: string) {
    if (plans.length === 0) return;
    const { text, values } = outboxInsert(isPostgres(manager), notificationId, plans, online, now);
    await runSql(manager, text, values);
  }

  /**
   * Claims up to `limit` due plans until `leaseUntil`, in one statement: on PostgreSQL rows
   * another node holds are skipped (FOR UPDATE SKIP LOCKED); SQLite has one writer. The same
   * statement re-reads each inbox row, so an ack or read that committed first cancels its plan.
   */
  async claimDue(manager: EntityManager, now: string, leaseUntil: string, limit: number): Promise<ClaimedPlan[]> {
    const lock = isPostgres(manager) ? 'FOR UPDATE OF o SKIP LOCKED' : '';
    const { rows } = await runSql(
      manager,
      `WITH due AS (
         SELECT o.id, ${SETTLED_BY_INBOX} AS settled FROM notification_outbox o
         WHERE o.status = 'pending' AND o.due_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until <= ?)
         ORDER BY o.due_at ${limitClause(limit)} ${lock})
       UPDATE notification_outbox SET
         status = CASE WHEN due.settled = '' THEN 'pending' ELSE 'cancelled' END,
         last_error = CASE WHEN due.settled = '' THEN notification_outbox.last_error ELSE due.settled END,
         claimed_until = CASE WHEN due.settled = '' THEN ? ELSE NULL END,
         updated_at = ?
       FROM due WHERE notification_outbox.id = due.id
       RETURNING notification_outbox.id AS "id", notification_outbox.notification_id AS "notificationId",
         notification_outbox.user_id AS "userId", notification_outbox.channel AS "channel", notification_outbox.status AS "status",
         notification_outbox.attempts AS "attempts", notification_outbox.planned_at AS "plannedAt", notification_outbox.last_error AS "lastError"`,
      [now, now, now, leaseUntil, now],
    );
    return rows.map((row) => ({ ...row, id: String(row.id), attempts: Number(row.attempts) }) as ClaimedPlan);
  }

  /** Records the outcomes of claimed plans and releases their claim: one statement per 500. */
  async recordOutcomes(manager: EntityManager, outcomes: readonly PlanOutcome[], now: string): Promise<void> {
    for (const batch of chunk(outcomes, ROWS_PER_STATEMENT)) {
      const rows = batch.map(() => '(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT))');
      await runSql(
        manager,
        `WITH outcome (id, status, due_at, attempts, last_error) AS (VALUES ${rows.join(', ')})
         UPDATE notification_outbox SET status = outcome.status, due_at = outcome.due_at, attempts = outcome.attempts,
           last_error = outcome.last_error, claimed_until = NULL, updated_at = ?
         FROM outcome WHERE notification_outbox.id = outcome.id`,
        [...batch.flatMap((each) => [each.id, each.status, each.dueAt, each.attempts, truncate(each.error)]), now],
      );
    }
  }

  async insertAttempts(manager: EntityManager, attempts: readonly AttemptRecord[]): Promise<void> {
    for (const batch of chunk(attempts, ROWS_PER_STATEMENT)) {
      await runSql(
        manager,
        `INSERT INTO notification_channel_attempts (notification_id, user_id, channel, attempt, at, outcome, error)
         VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((each) => [
          each.notificationId,
          each.userId,
          each.channel,
          each.attempt,
          each.at,
          each.outcome,
          truncate(each.error),
        ]),
      );
    }
  }

  /** The notifications of claimed plans as each recipient's inbox has them, keyed `notificationId userId`. */
  async notificationsFor(manager: EntityManager, plans: ReadonlyArray<{ notificationId: string; userId: string }>) {
    const views = new Map<string, NotificationView>();
    const text = textFromStorage(isPostgres(manager));
    for (const batch of chunk(plans, ROWS_PER_STATEMENT)) {
      const { rows } = await runSql(
        manager,
        `SELECT ${INBOX_COLUMNS}, r.user_id AS "userId" FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id
         WHERE (r.notification_id, r.user_id) IN (VALUES ${batch.map(() => '(?, ?)').join(', ')})`,
        batch.flatMap((plan) => [plan.notificationId, plan.userId]),
      );
      for (const row of rows) {
        const view = toNotificationView(row);
        views.set(`${view.id} ${row.userId}`, { ...view, title: text(view.title), body: text(view.body) });
      }
    }
    return views;
  }

  /** Who sent the notification (null: the host), or undefined when there is no such notification. */
  async senderOf(manager: EntityManager, notificationId: string): Promise<string | null | undefined> {
    const { rows } = await runSql(manager, `SELECT sender_id AS "senderId" FROM notifications WHERE id = ?`, [notificationId]);
    return rows.length === 0 ? undefined : (rows[0].senderId ?? null);
  }

  /** The tenant a notification belongs to ('' without tenancy); undefined when there is no such notification. */
  async tenantOf(manager: EntityManager, notificationId: string): Promise<string | undefined> {
    const { rows } = await runSql(manager, `SELECT tenant_id AS "tenantId" FROM notifications WHERE id = ?`, [notificationId]);
    return rows[0]?.tenantId;
  }

  /** A page of the notification's recipients (by user id, after `afterUserId`) with their acknowledgement. */
  async recipientsPage(manager: EntityManager, notificationId: string, afterUserId: string, limit: number) {
    const { rows } = await runSql(
      manager,
      `SELECT user_id AS "userId", delivered_at AS "deliveredAt" FROM notification_recipients
       WHERE notification_id = ? AND user_id > ? ORDER BY user_id ${limitClause(limit)}`,
      [notificationId, afterUserId],
    );
    return rows as Array<{ userId: string; deliveredAt: string | null }>;
  }

  /** The plans of these recipients of the notification. */
  async plansOf(manager: EntityManager, notificationId: string, userIds: readonly string[]): Promise<PlanState[]> {
    if (userIds.length === 0) return [];
    const { rows } = await runSql(
      manager,
      `SELECT user_id AS "userId", channel, status, attempts, due_at AS "dueAt", updated_at AS "updatedAt", last_error AS "lastError"
       FROM notification_outbox WHERE notification_id = ? AND user_id IN (${placeholders(userIds.length)})`,
      [notificationId, ...userIds],
    );
    return rows.map((row) => ({ ...row, attempts: Number(row.attempts) }) as PlanState);
  }

  /** The outcomes of a channel's latest attempts, newest first, across every node. */
  async latestOutcomes(manager: EntityManager, channel: string, count: number) {
    const { rows } = await runSql(
      manager,
      `SELECT outcome, error, at FROM notification_channel_attempts WHERE channel = ? ORDER BY id DESC ${limitClause(count)}`,
      [channel],
    );
    return rows as Array<{ outcome: string; error: string | null; at: string }>;
  }
}

function truncate(error: string | null): string | null {
  return error === null ? null : error.slice(0, ERROR_LENGTH);
}

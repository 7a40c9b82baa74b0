import { EntityManager } from 'typeorm';
import { chunk, isPostgres, limitClause, placeholders, runSql } from './sql';

/** A lifecycle event to POST: its id (the `webhook-id`), type and signed body. */
export interface WebhookEvent {
  id: string;
  type: string;
  payload: string;
  attempts: number;
}

const ROWS_PER_STATEMENT = 200;

/** The SQL of lifecycle events on their way to the webhook: queued, claimed by one node, deleted once sent. */
export class WebhookEventsStore {
  async insert(manager: EntityManager, events: ReadonlyArray<Omit<WebhookEvent, 'attempts'>>, now: string): Promise<void> {
    for (const batch of chunk(events, ROWS_PER_STATEMENT)) {
      await runSql(
        manager,
        `INSERT INTO notification_webhook_events (id, type, payload, status, attempts, due_at, created_at)
         VALUES ${batch.map(() => `(?, ?, ?, 'pending', 0, ?, ?)`).join(', ')}`,
        batch.flatMap((event) => [event.id, event.type, event.payload, now, now]),
      );
    }
  }

  /** Claims due events until `leaseUntil`, oldest first; other nodes skip them (see OutboxStore.claimDue). */
  async claimDue(manager: EntityManager, now: string, leaseUntil: string, limit: number): Promise<WebhookEvent[]> {
    const lock = isPostgres(manager) ? 'FOR UPDATE SKIP LOCKED' : '';
    const { rows } = await runSql(
      manager,
      `WITH due AS (
         SELECT id FROM notification_webhook_events
         WHERE status = 'pending' AND due_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
         ORDER BY due_at, created_at ${limitClause(limit)} ${lock})
       UPDATE notification_webhook_events SET claimed_until = ? FROM due WHERE notification_webhook_events.id = due.id
       RETURNING notification_webhook_events.id AS "id", type, payload, attempts, created_at AS "createdAt"`,
      [now, now, leaseUntil],
    );
    // In the order they happened (UPDATE … RETURNING keeps none).
    rows.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
    return rows.map(({ id, type, payload, attempts }) => ({ id, type, payload, attempts: Number(attempts) }));
  }

  async deleteSent(manager: EntityManager, ids: readonly string[]): Promise<void> {
    for (const batch of chunk(ids, ROWS_PER_STATEMENT)) {
      await runSql(manager, `DELETE FROM notification_webhook_events WHERE id IN (${placeholders(batch.length)})`, batch);
    }
  }

  /** Events that failed: each tried again at its `dueAt`, or kept as failed (`dueAt` null) when out of tries. */
  async recordFailures(
    manager: EntityManager,
    failures: ReadonlyArray<{ id: string; attempts: number; dueAt: string | null; error: string }>,
  ) {
    for (const batch of chunk(failures, ROWS_PER_STATEMENT)) {
      const rows = batch.map(() => '(CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))');
      await runSql(
        manager,
        `WITH failure (id, attempts, status, due_at, last_error) AS (VALUES ${rows.join(', ')})
         UPDATE notification_webhook_events SET attempts = failure.attempts, status = failure.status,
           due_at = COALESCE(failure.due_at, notification_webhook_events.due_at), last_error = failure.last_error, claimed_until = NULL
         FROM failure WHERE notification_webhook_events.id = failure.id`,
        batch.flatMap((each) => [each.id, each.attempts, each.dueAt === null ? 'failed' : 'pending', each.dueAt, each.error.slice(0, 500)]),
      );
    }
  }
}

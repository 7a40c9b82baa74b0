import { EntityManager } from 'typeorm';
import { chunk, limitClause, runSql } from '../persistence/sql';
import { NamedUser, UserDataContributor, UserDataPage } from './user-data-contributor';
import { WebhookEventData } from './user-data.types';

const ROWS_PER_STATEMENT = 200;

/**
 * Lifecycle events still on their way to the webhook (sent ones are deleted) that name the user.
 * An event about the user alone (delivered, read, archived, a failed channel: `data.userId`) is
 * erased; one about a send (created, released, rescheduled, cancelled) stays for the other
 * recipients, with the user taken out of its audience and, as its sender, replaced by null, as
 * the audit does. The table only holds undelivered events, so the search reads it whole. With
 * tenancy an event names the user by their own id and its `tenantId` (never by their key): the
 * events of the user's tenant that name that id are theirs.
 */
export class WebhookEventsContributor implements UserDataContributor<WebhookEventData> {
  async exportPage(
    manager: EntityManager,
    userId: string,
    after: string | null,
    limit: number,
    named?: NamedUser,
  ): Promise<UserDataPage<WebhookEventData>> {
    const rows = await mentioning(manager, named ?? { userId }, after, limit);
    const items = rows
      .filter((row) => row.mentions)
      .map((row) => ({ id: row.id as string, type: row.type as string, createdAt: row.createdAt as string }));
    return { items, next: rows.length < limit ? null : rows[rows.length - 1].id };
  }

  async eraseBatch(manager: EntityManager, userId: string, after: string | null, limit: number, named?: NamedUser): Promise<string | null> {
    const subject = named ?? { userId };
    const rows = await mentioning(manager, subject, after, limit);
    const erased: string[] = [];
    for (const row of rows.filter((each) => each.mentions)) {
      const redacted = withoutUser(row.payload as string, subject.userId);
      if (redacted === null) erased.push(row.id);
      else await runSql(manager, `UPDATE notification_webhook_events SET payload = ? WHERE id = ?`, [redacted, row.id]);
    }
    for (const ids of chunk(erased, ROWS_PER_STATEMENT)) {
      await runSql(manager, `DELETE FROM notification_webhook_events WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    }
    // Redacted rows no longer match; the next batch goes on after the last one looked at.
    return rows.length < limit ? null : rows[rows.length - 1].id;
  }
}

/**
 * The events whose payload may hold the user's id as a JSON string, after `after`, by id, each
 * with `mentions` set when it does (SQLite's LIKE ignores case, so the database only narrows),
 * in the user's tenant when they have one.
 */
async function mentioning(
  manager: EntityManager,
  user: { userId: string; tenantId?: string },
  after: string | null,
  limit: number,
): Promise<any[]> {
  const { userId, tenantId } = user;
  const pattern = `%${JSON.stringify(userId).replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const { rows } = await runSql(
    manager,
    `SELECT id, type, payload, created_at AS "createdAt" FROM notification_webhook_events
     WHERE payload LIKE ? ESCAPE '\\' AND id > ? ORDER BY id ${limitClause(limit)}`,
    [pattern, after ?? ''],
  );
  const quoted = JSON.stringify(userId);
  const inTenant = (payload: string) => tenantId === undefined || JSON.parse(payload).data?.tenantId === tenantId;
  return rows.map((row) => ({ ...row, mentions: (row.payload as string).includes(quoted) && inTenant(row.payload) }));
}

/** The payload without the user, or null when the event is about the user alone. */
export function withoutUser(payload: string, userId: string): string | null {
  const event = JSON.parse(payload) as { data?: Record<string, any> };
  const data = event.data ?? {};
  if (data.userId === userId) return null;
  if (data.senderId === userId) data.senderId = null;
  const audience = data.audience;
  if (audience && Array.isArray(audience.userIds)) audience.userIds = audience.userIds.filter((each: unknown) => each !== userId);
  return JSON.stringify(event);
}

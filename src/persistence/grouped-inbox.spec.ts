import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { AudienceStore } from './audience.store';
import { NotificationsStore } from './notifications.store';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { notificationContent as content } from '../../test/support/notification-content';

/** Keeps the statements the store sends, with their parameters. */
class StatementRecorder extends AbstractLogger {
  recorded: Array<{ query: string; parameters: unknown[] }> = [];

  logQuery(query: string, parameters?: unknown[]): void {
    this.recorded.push({ query, parameters: parameters ?? [] });
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}

describe('grouped inbox inserts', () => {
  const store = new NotificationsStore();
  const notifications = new AudienceStore();
  const USERS: NotificationAudience = { kind: 'users', userIds: ['alice', 'bob'] };
  const recorder = new StatementRecorder();
  let database: DataSource;

  async function sendTo(id: string, groupKey: string | null): Promise<void> {
    await notifications.insertNotification(database.manager, content(id, { groupKey }), null, USERS, null, false);
    recorder.recorded = [];
    await store.insertRecipients(database.manager, content(id, { groupKey }), ['alice', 'bob']);
  }

  beforeEach(async () => {
    database = await migratedSqliteDatabase({ logger: recorder, logging: ['query'] });
    for (let index = 0; index < 50; index++) await sendTo(`n-${index}`, null);
  });
  afterEach(() => database.destroy());

  it('costs a send without a key nothing: one statement, which writes no group column', async () => {
    await sendTo('plain', null);
    expect(recorder.recorded).toHaveLength(1);
    expect(recorder.recorded[0].query).not.toMatch(/group_/);
    const [row] = await database.query(
      `SELECT group_key, group_count, replaces FROM notification_recipients WHERE notification_id = 'plain' LIMIT 1`,
    );
    expect(row).toEqual({ group_key: null, group_count: 1, replaces: null });
  });

  it("finds and archives the replaced rows through the partial group index, not the users' history", async () => {
    await sendTo('g-1', 'k');
    await sendTo('g-2', 'k');
    expect(recorder.recorded).toHaveLength(2);
    for (const { query, parameters } of [...recorder.recorded]) {
      const plan: Array<{ detail: string }> = await database.query(`EXPLAIN QUERY PLAN ${query}`, parameters);
      const details = plan.map((step) => step.detail).join('\n');
      expect(details).toMatch(/INDEX idx_notification_recipients_group \(user_id=\? AND group_key=\?\)/);
      expect(details).not.toMatch(/SCAN notification_recipients/);
    }
    const rows = await database.query(
      `SELECT notification_id AS "id", user_id AS "userId", group_count AS "count", replaces, archived_at IS NOT NULL AS "archived"
       FROM notification_recipients WHERE group_key = 'k' ORDER BY cursor`,
    );
    expect(rows).toEqual([
      { id: 'g-1', userId: 'alice', count: 1, replaces: null, archived: 1 },
      { id: 'g-1', userId: 'bob', count: 1, replaces: null, archived: 1 },
      { id: 'g-2', userId: 'alice', count: 2, replaces: 'g-1', archived: 0 },
      { id: 'g-2', userId: 'bob', count: 2, replaces: 'g-1', archived: 0 },
    ]);
  });

  it('replaces the latest of several unread rows of a key and archives them all', async () => {
    await sendTo('g-1', 'k');
    await database.query(`UPDATE notification_recipients SET read_at = '2026-06-01T11:30:00.000Z' WHERE notification_id = 'g-1'`);
    await sendTo('g-2', 'k');
    // g-1 counted unread again (as POST /notifications/:id/unread would): two unread rows of the key.
    await database.query(`UPDATE notification_recipients SET read_at = NULL WHERE notification_id = 'g-1'`);
    await sendTo('g-3', 'k');
    const rows = await database.query(
      `SELECT notification_id AS "id", group_count AS "count", replaces, archived_at IS NOT NULL AS "archived"
       FROM notification_recipients WHERE group_key = 'k' AND user_id = 'alice' ORDER BY cursor`,
    );
    expect(rows).toEqual([
      { id: 'g-1', count: 1, replaces: null, archived: 1 },
      { id: 'g-2', count: 1, replaces: null, archived: 1 },
      { id: 'g-3', count: 2, replaces: 'g-2', archived: 0 },
    ]);
  });
});

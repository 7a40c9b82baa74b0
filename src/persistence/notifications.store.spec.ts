import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { AudienceStore } from './audience.store';
import { NotificationsStore } from './notifications.store';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { notificationContent as content } from '../../test/support/notification-content';

const NOW = '2026-06-01T12:00:00.000Z';

/** Keeps the statements the store sends, with their parameters, to ask SQLite how it runs them. */
class StatementRecorder extends AbstractLogger {
  recorded: Array<{ query: string; parameters: unknown[] }> = [];

  logQuery(query: string, parameters?: unknown[]): void {
    this.recorded.push({ query, parameters: parameters ?? [] });
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}

describe(NotificationsStore.name, () => {
  const store = new NotificationsStore();
  const notifications = new AudienceStore();
  const DIRECT_SEND: NotificationAudience = { kind: 'users', userIds: ['alice', 'bob'] };
  const recorder = new StatementRecorder();
  let database: DataSource;

  beforeEach(async () => {
    database = await migratedSqliteDatabase({ logger: recorder, logging: ['query'] });
    for (let index = 0; index < 50; index++) {
      await notifications.insertNotification(database.manager, content(`n-${index}`), null, DIRECT_SEND, null, false);
      await store.insertRecipients(database.manager, content(`n-${index}`), ['alice', 'bob']);
    }
  });
  afterEach(() => database.destroy());

  /** How SQLite runs the one statement `run` sends: the `detail` lines of EXPLAIN QUERY PLAN. */
  async function planOf(run: () => Promise<unknown>): Promise<string> {
    recorder.recorded = [];
    await run();
    expect(recorder.recorded).toHaveLength(1);
    const [{ query, parameters }] = recorder.recorded;
    const plan: Array<{ detail: string }> = await database.query(`EXPLAIN QUERY PLAN ${query}`, parameters);
    return plan.map((step) => step.detail).join('\n');
  }

  it("counts unread notifications from the unread index alone, never the users' whole history", async () => {
    const plan = await planOf(() => store.countUnread(database.manager, ['alice', 'bob'], NOW));
    // The index is partial: it holds only unread, unarchived rows, so the user's range is all of them.
    expect(plan).toMatch(/COVERING INDEX idx_notification_recipients_unread \(user_id=\?\)/);
  });

  it('reads a backlog without a cursor from the index of unacknowledged notifications', async () => {
    const plan = await planOf(() => store.readInbox(database.manager, 'alice', { unacknowledgedOnly: true }, 500, 'ascending', NOW));
    expect(plan).toMatch(/USING INDEX idx_notification_recipients_undelivered \(user_id=\?\)/);
    expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it('pages an inbox by cursor and acknowledges by id without scanning or sorting', async () => {
    const page = await planOf(() => store.readInbox(database.manager, 'alice', { beforeCursor: '40' }, 20, 'descending', NOW));
    expect(page).toMatch(/USING INDEX idx_notification_recipients_user_cursor \(user_id=\? AND cursor<\?\)/);
    const ack = await planOf(() =>
      store.markDelivered(
        database.manager,
        [
          { userId: 'alice', ids: ['n-1', 'n-2'] },
          { userId: 'bob', ids: ['n-3'] },
        ],
        NOW,
      ),
    );
    expect(ack).toMatch(/USING INDEX uq_notification_recipients_notification_user \(notification_id=\? AND user_id=\?\)/);
    // The pairs are the VALUES list: a scan of that list, not of the table.
    expect(ack.replace(/SCAN \d+-ROW VALUES CLAUSE/g, '')).not.toMatch(/SCAN|TEMP B-TREE/);
    expect(page).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it('sweeps idempotency keys past the window from the index by age, never scanning the table', async () => {
    const plan = await planOf(() => store.deleteIdempotencyKeys(database.manager, NOW, 500));
    expect(plan).toMatch(/USING (COVERING )?INDEX idx_notification_idempotency_keys_created_at \(created_at<\?\)/);
    expect(plan).not.toMatch(/SCAN notification_idempotency_keys|TEMP B-TREE/);
  });

  it("acknowledges many users' notifications in one statement, counting each ack's own changes", async () => {
    recorder.recorded = [];
    const counts = await store.markDelivered(
      database.manager,
      [
        { userId: 'alice', ids: ['n-1', 'n-2', 'n-404'] },
        { userId: 'bob', ids: ['n-1'] },
        { userId: 'alice', ids: ['n-2', 'n-3'] },
      ],
      NOW,
    );
    expect(counts).toEqual([2, 1, 1]);
    expect(recorder.recorded.filter(({ query }) => query.startsWith('UPDATE'))).toHaveLength(1);
    const delivered = await database.query(
      `SELECT user_id AS "userId", notification_id AS "id" FROM notification_recipients WHERE delivered_at IS NOT NULL ORDER BY 1, 2`,
    );
    expect(delivered).toEqual([
      { userId: 'alice', id: 'n-1' },
      { userId: 'alice', id: 'n-2' },
      { userId: 'alice', id: 'n-3' },
      { userId: 'bob', id: 'n-1' },
    ]);
    await expect(store.markDelivered(database.manager, [{ userId: 'alice', ids: ['n-1'] }], NOW)).resolves.toEqual([0]);
  });

  it("answers a one-user send with its row's own cursor, and with none when the user's rule keeps it out", async () => {
    // In-app rule 3 is the user's channels.inApp: off for carol.
    await database.query(`INSERT INTO notification_in_app_rules (user_id, precedence, key, in_app) VALUES ('carol', 3, '', 0)`);
    for (const id of ['p-1', 'p-2']) {
      await notifications.insertNotification(database.manager, content(id), null, { kind: 'users', userIds: ['bob'] }, null, false);
    }
    await notifications.insertNotification(database.manager, content('p-3'), null, { kind: 'users', userIds: ['carol'] }, null, false);
    recorder.recorded = [];

    const first = await store.insertRecipients(database.manager, content('p-1'), ['bob']);
    const second = await store.insertRecipients(database.manager, content('p-2'), ['bob']);
    const refused = await store.insertRecipients(database.manager, content('p-3'), ['carol']);

    const rows = await database.query(
      `SELECT CAST(cursor AS TEXT) AS "cursor", user_id AS "userId" FROM notification_recipients WHERE notification_id IN ('p-1', 'p-2', 'p-3') ORDER BY cursor`,
    );
    expect([...first, ...second]).toEqual(rows);
    expect(refused).toEqual([]);
    // SQLite's RETURNING costs a one-user send about 10 µs: the cursor comes from the rowid instead.
    expect(recorder.recorded.filter(({ query }) => query.includes('RETURNING'))).toEqual([]);
  });
});

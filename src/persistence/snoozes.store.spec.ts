import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { NotificationAudience } from '../model/notification-audience';
import { AudienceStore } from './audience.store';
import { NotificationsStore } from './notifications.store';
import { SnoozesStore } from './snoozes.store';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { notificationContent as content } from '../../test/support/notification-content';

const NOW = '2026-06-01T12:00:00.000Z';
const LATER = '2026-06-01T13:00:00.000Z';

/** Keeps the statements the stores send, with their parameters, to ask SQLite how it runs them. */
class StatementRecorder extends AbstractLogger {
  recorded: Array<{ query: string; parameters: unknown[] }> = [];

  logQuery(query: string, parameters?: unknown[]): void {
    this.recorded.push({ query, parameters: parameters ?? [] });
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}

describe(SnoozesStore.name, () => {
  const store = new SnoozesStore();
  const audience = new AudienceStore();
  const recorder = new StatementRecorder();
  const USERS: NotificationAudience = { kind: 'users', userIds: ['alice', 'bob'] };
  let database: DataSource;

  beforeEach(async () => {
    database = await migratedSqliteDatabase({ logger: recorder, logging: ['query'] });
    for (let index = 0; index < 30; index++) {
      await audience.insertNotification(database.manager, content(`n-${index}`), null, USERS, null, false);
      await new NotificationsStore().insertRecipients(database.manager, content(`n-${index}`), ['alice', 'bob']);
      await store.snooze(database.manager, 'alice', `n-${index}`, LATER, NOW);
    }
  });
  afterEach(() => database.destroy());

  /** The `detail` lines of EXPLAIN QUERY PLAN for each statement `run` sends. */
  async function plansOf(run: () => Promise<unknown>): Promise<string> {
    recorder.recorded = [];
    await run();
    const plans: string[] = [];
    for (const { query, parameters } of recorder.recorded.splice(0)) {
      const plan: Array<{ detail: string }> = await database.query(`EXPLAIN QUERY PLAN ${query}`, parameters);
      plans.push(...plan.map((step) => step.detail));
    }
    return plans.join('\n');
  }

  it('finds due snoozes from their index by until, not by reading every snooze', async () => {
    const plan = await plansOf(() => store.findDue(database.manager, LATER, 100));
    expect(plan).toMatch(/USING INDEX idx_notification_snoozes_due \(until<\?\)/);
    expect(plan).not.toMatch(/SCAN notification_snoozes\b(?! USING)/);
  });

  it('takes a snooze out by its key', async () => {
    const plan = await plansOf(() => store.release(database.manager, { userId: 'alice', notificationId: 'n-3' }, LATER));
    expect(plan).toMatch(
      /SEARCH notification_snoozes USING INDEX sqlite_autoindex_notification_snoozes_1 \(notification_id=\? AND user_id=\?\)/,
    );
  });

  it("checks a connecting user's missing broadcasts against their snoozes by key", async () => {
    const plan = await plansOf(() => audience.hasMissingBroadcast(database.manager, 'alice', NOW));
    expect(plan).toMatch(/SEARCH s USING (COVERING )?INDEX sqlite_autoindex_notification_snoozes_1 \(notification_id=\? AND user_id=\?\)/);
  });

  it('moves the entry out of the inbox and back as a new one with a later cursor', async () => {
    const [before] = await database.query(`SELECT MAX(cursor) AS "cursor" FROM notification_recipients`);
    expect(await database.query(`SELECT 1 FROM notification_recipients WHERE user_id = 'alice'`)).toEqual([]);
    const back = await store.release(database.manager, { userId: 'alice', notificationId: 'n-3' }, LATER);
    const stored = await store.reinsert(database.manager, 'alice', back!, LATER);
    expect(Number(stored!.cursor)).toBeGreaterThan(Number(before.cursor));
    expect(await store.release(database.manager, { userId: 'alice', notificationId: 'n-3' }, LATER)).toBeUndefined();
    expect(await store.reinsert(database.manager, 'alice', back!, LATER)).toBeUndefined();
  });
});

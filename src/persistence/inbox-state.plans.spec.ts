import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { HEAVY_USER, INBOX_PLAN_CASES, INBOX_SIZE } from '../../test/support/inbox-plan-cases';

/** Keeps the statements the stores send, with their parameters, to ask SQLite how it runs them. */
class StatementRecorder extends AbstractLogger {
  recorded: Array<{ query: string; parameters: unknown[] }> = [];

  logQuery(query: string, parameters?: unknown[]): void {
    this.recorded.push({ query, parameters: parameters ?? [] });
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}

/**
 * How SQLite runs each filtered page and count of an inbox of 100,000 notifications: every one
 * reaches the user's rows through an index led by the user (never a scan of the table), pages
 * in cursor order without sorting, and the counts read only unread rows (the unread index,
 * covering). test/services/inbox-plans.services-spec.ts asks PostgreSQL the same.
 */
describe('Inbox filters and counts: SQLite query plans', () => {
  const recorder = new StatementRecorder();
  let database: DataSource;

  beforeAll(async () => {
    database = await migratedSqliteDatabase({ logger: recorder, logging: ['query'] });
    await database.query(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${INBOX_SIZE})
      INSERT INTO notifications (id, type, title, topic, created_at)
      SELECT printf('n-%06d', i), CASE i % 3 WHEN 0 THEN 'expense.approved' WHEN 1 THEN 'expense.rejected' ELSE 'chat.message' END,
        't', CASE WHEN i % 10 = 0 THEN 'finance' END, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' minutes') FROM seq`);
    await database.query(`INSERT INTO notification_recipients (user_id, notification_id, created_at, read_at, archived_at)
      SELECT '${HEAVY_USER}', id, created_at, CASE WHEN CAST(substr(id, 3) AS INTEGER) % 10 <> 0 THEN created_at END,
        CASE WHEN CAST(substr(id, 3) AS INTEGER) % 50 = 0 THEN created_at END FROM notifications ORDER BY id`);
    // Other users share the table (500 each), as they do in a real database.
    await database.query(`INSERT INTO notification_recipients (user_id, notification_id, created_at, read_at)
      SELECT 'u-' || (CAST(substr(id, 3) AS INTEGER) % 200), id, created_at, created_at FROM notifications ORDER BY id`);
  }, 60_000);
  afterAll(() => database.destroy());

  it.each(INBOX_PLAN_CASES.map((entry) => [entry.name, entry.run] as const))('%s: by index, no scan of a table', async (_name, run) => {
    recorder.recorded = [];
    await run(database.manager);
    expect(recorder.recorded).toHaveLength(1);
    const [{ query, parameters }] = recorder.recorded;
    const plan: Array<{ detail: string }> = await database.query(`EXPLAIN QUERY PLAN ${query}`, parameters);
    const detail = plan.map((step) => step.detail).join('\n');
    expect(detail).toMatch(
      /SEARCH r USING (COVERING )?INDEX idx_notification_recipients_\w+ \(user_id=\?|SEARCH notification_recipients USING COVERING INDEX idx_notification_recipients_unread \(user_id=\?/,
    );
    expect(detail).not.toMatch(/SCAN (r|n|notifications|notification_recipients)\b/);
    if (/ORDER BY/.test(query)) expect(detail).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    console.log(`${_name}\n${detail}`);
  });

  it('seeded the inbox the plans read', async () => {
    const [row] = await database.query(`SELECT COUNT(*) AS n FROM notification_recipients WHERE user_id = ?`, [HEAVY_USER]);
    expect(Number(row.n)).toBe(INBOX_SIZE);
  });
});

import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { HEAVY_USER, INBOX_PLAN_CASES, INBOX_SIZE, SEED, seedMarksSql } from '../../test/support/inbox-plan-cases';

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
 * reaches the user's rows through the index its filter names (never a scan of a table), pages
 * in cursor order without sorting, so a walk stops when the page is full, and the counts read
 * one covering range of the unread index. A type prefix first walks the user's distinct types
 * (one seek each), then each type's rows. test/services/inbox-plans.services-spec.ts asks
 * PostgreSQL the same and counts the rows read.
 */
describe('Inbox filters and counts: SQLite query plans', () => {
  const recorder = new StatementRecorder();
  let database: DataSource;

  beforeAll(async () => {
    database = await migratedSqliteDatabase({ logger: recorder, logging: ['query'] });
    await database.query(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${INBOX_SIZE})
      INSERT INTO notifications (id, type, title, topic, created_at)
      SELECT printf('n-%06d', i), ${SEED.type('i')}, 't', ${SEED.topic('i')},
        strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' minutes') FROM seq`);
    const number = 'CAST(substr(id, 3) AS INTEGER)';
    await database.query(`INSERT INTO notification_recipients (user_id, notification_id, created_at, type, topic, read_at, seen_at, archived_at)
      SELECT '${HEAVY_USER}', id, created_at, type, topic, CASE WHEN NOT (${SEED.unread(number)}) THEN created_at END,
        CASE WHEN NOT (${SEED.unseen(number)}) THEN created_at END,
        CASE WHEN ${SEED.archived(number)} THEN created_at END FROM notifications ORDER BY id`);
    // Other users share the table (500 each), as they do in a real database.
    await database.query(`INSERT INTO notification_recipients (user_id, notification_id, created_at, type, topic, read_at)
      SELECT 'u-' || (${number} % 200), id, created_at, type, topic, created_at FROM notifications ORDER BY id`);
    // A mark every 100 of the user's rows, as the worker's marks a minute would be.
    await database.query(seedMarksSql(100, HEAVY_USER));
  }, 60_000);
  afterAll(() => database.destroy());

  it.each(INBOX_PLAN_CASES.map((entry) => [entry.name, entry] as const))(
    '%s: by its index, no scan of a table',
    async (name, { run, index, statements: statementCount }) => {
      recorder.recorded = [];
      await run(database.manager);
      const statements = [...recorder.recorded];
      const plans: string[] = [];
      for (const { query, parameters } of statements) {
        const plan: Array<{ detail: string }> = await database.query(`EXPLAIN QUERY PLAN ${query}`, parameters);
        plans.push(plan.map((step) => step.detail).join('\n'));
      }
      console.log(`${name}\n${plans.join('\n--\n')}`);
      // One statement; a type prefix adds the walk of the user's types before it.
      expect(statements).toHaveLength(statementCount ?? 1);
      for (const detail of plans) {
        expect(detail).not.toMatch(/SCAN (r|n|notifications|notification_recipients)\b/);
        // Sorting only a merged branch's page (SCAN t0 …: at most one page of rows), never a walk's rows.
        const steps = detail.split('\n').map((step) => step.trim());
        steps.forEach((step, at) => {
          if (/TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(step)) expect(steps[at - 1]).toMatch(/^SCAN t\d+$/);
        });
      }
      const page = plans[plans.length - 1];
      const walks = page.split('\n').filter((step) => /^SEARCH (r|notification_recipients) /.test(step.trim()));
      expect(walks.length).toBeGreaterThan(0);
      for (const walk of walks) expect(walk).toMatch(/\(user_id=\?/);
      for (const walk of walks) expect(walk).toMatch(index);
    },
  );

  it('seeded the inbox the plans read', async () => {
    const [row] = await database.query(`SELECT COUNT(*) AS n FROM notification_recipients WHERE user_id = ?`, [HEAVY_USER]);
    expect(Number(row.n)).toBe(INBOX_SIZE);
  });
});

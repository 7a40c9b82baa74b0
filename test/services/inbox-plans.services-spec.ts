import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { HEAVY_USER, INBOX_PLAN_CASES, INBOX_SIZE, SEED, seedMarksSql } from '../support/inbox-plan-cases';
import { createDatabase, migratedDataSource } from './support/services';

/** Keeps the statements the stores send, with their parameters, to ask PostgreSQL how it runs them. */
class StatementRecorder extends AbstractLogger {
  recorded: Array<{ query: string; parameters: unknown[] }> = [];

  logQuery(query: string, parameters?: unknown[]): void {
    this.recorded.push({ query, parameters: parameters ?? [] });
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}

/** Every node of a JSON plan, depth first. */
function nodesOf(plan: Record<string, any>): Array<Record<string, any>> {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/**
 * How PostgreSQL runs each filtered page and count of an inbox of 100,000 notifications (among
 * 400,000 rows of 2,000 other users), analysed as autovacuum would: never a sequential scan of
 * either table, the user's rows reached through the index the filter names, and no more inbox
 * rows read (returned or filtered out, over every loop) than the case allows: about a page for
 * a page, whatever the filter's share of the inbox, and the unread rows for the counts. The
 * plans are printed. src/persistence/inbox-state.plans.spec.ts asks SQLite the same.
 */
const OTHER_ROWS = 400_000;

describe('Inbox filters and counts: PostgreSQL query plans', () => {
  const recorder = new StatementRecorder();
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createDatabase();
    dataSource = await migratedDataSource(database.url, recorder);
    await dataSource.query(`INSERT INTO notifications (id, type, title, topic, created_at)
      SELECT 'n-' || lpad(i::text, 6, '0'), ${SEED.type('i')}, 't', ${SEED.topic('i')},
        to_char(timestamp '2026-01-01' + i * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM generate_series(1, ${INBOX_SIZE}) AS i`);
    // 400,000 notifications of 2,000 other users sent in between, as in a shared database.
    await dataSource.query(`INSERT INTO notifications (id, type, title, created_at)
      SELECT 'o-' || lpad(i::text, 6, '0'), 'chat.message', 't',
        to_char(timestamp '2026-01-01' + i * interval '15 seconds', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      FROM generate_series(1, ${OTHER_ROWS}) AS i`);
    // Cursors in the order of sending, the user's rows among the others'.
    const number = 'substr(id, 3)::int';
    await dataSource.query(`INSERT INTO notification_recipients (user_id, notification_id, created_at, type, topic, read_at, seen_at, archived_at)
      SELECT CASE WHEN id LIKE 'n-%' THEN '${HEAVY_USER}' ELSE 'u-' || (${number} % 2000) END, id, created_at, type, topic,
        CASE WHEN id LIKE 'o-%' OR NOT (${SEED.unread(number)}) THEN created_at END,
        CASE WHEN id LIKE 'o-%' OR NOT (${SEED.unseen(number)}) THEN created_at END,
        CASE WHEN id LIKE 'n-%' AND ${SEED.archived(number)} THEN created_at END
      FROM notifications ORDER BY created_at, id`);
    // A mark every 100 cursors (every 20 minutes of this seed), as the worker's marks a minute would be.
    await dataSource.query(seedMarksSql(100));
    await dataSource.query('VACUUM ANALYZE notifications');
    await dataSource.query('VACUUM ANALYZE notification_recipients');
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it.each(INBOX_PLAN_CASES.map((entry) => [entry.name, entry] as const))(
    '%s: by its index, no sequential scan, bounded rows',
    async (name, { run, index, rowsAtMost, statements: statementCount }) => {
      recorder.recorded = [];
      await run(dataSource.manager);
      const statements = [...recorder.recorded];
      expect(statements).toHaveLength(statementCount ?? 1);
      let rowsRead = 0;
      let pageIndexes: string[] = [];
      for (const { query, parameters } of statements) {
        const [
          {
            'QUERY PLAN': [plan],
          },
        ] = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`, parameters);
        const nodes = nodesOf(plan.Plan);
        const summary = nodes.map(
          (node) =>
            `${node['Node Type']} ${node['Index Name'] ?? node['Relation Name'] ?? ''} rows=${node['Actual Rows']} (est ${node['Plan Rows']}) loops=${node['Actual Loops']} filtered=${node['Rows Removed by Filter'] ?? 0}`,
        );
        console.log(`${name} (${plan['Execution Time']} ms)\n${summary.join('\n')}`);
        const inboxNodes = nodes.filter((node) => node['Relation Name'] === 'notification_recipients');
        expect(inboxNodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
        expect(inboxNodes.every((node) => /Index|Bitmap/.test(node['Node Type']))).toBe(true);
        // Each notification by its key, never a scan of all notifications.
        expect(nodes.filter((node) => node['Relation Name'] === 'notifications').map((node) => node['Node Type'])).not.toContain(
          'Seq Scan',
        );
        for (const node of inboxNodes) {
          rowsRead += (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'];
        }
        // The inbox's indexes the statement walked: an index scan names its table, a bitmap index scan only its index.
        pageIndexes = nodes
          .filter(
            (node) => node['Relation Name'] === 'notification_recipients' || /^idx_notification_recipients/.test(node['Index Name'] ?? ''),
          )
          .map((node) => node['Index Name'] as string | undefined)
          .filter((used): used is string => used !== undefined);
      }
      expect(pageIndexes.length).toBeGreaterThan(0);
      for (const used of pageIndexes) expect(used).toMatch(index);
      expect(rowsRead).toBeLessThanOrEqual(rowsAtMost);
    },
  );

  it('seeded the inbox the plans read', async () => {
    const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM notification_recipients WHERE user_id = $1`, [HEAVY_USER]);
    expect(Number(row.n)).toBe(INBOX_SIZE);
  });
});

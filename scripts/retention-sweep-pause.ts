// How long the retention sweep holds the SQLite writer: fills a database file with old read
// inbox entries (and some unread and some recent ones, which must stay), sweeps them with the
// module's RetentionWorker while a probe queues a one-row write every millisecond, and prints
// the longest wait a write saw, with each sweep transaction's time.
//
//   node -r ./scripts/run-source.js scripts/retention-sweep-pause.ts [--rows 1000000]
//
// Not a test: figures depend on the machine. The database lives in a temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { databaseConnectionOptions } from '../server/src/database-options';
import { SqliteCheckpoints } from '../server/src/sqlite-checkpoints';
import { ResolvedOptions } from '../src/config/resolved-options';
import { NOTIFICATIONS_ENTITIES } from '../src/persistence/entities';
import { NOTIFICATIONS_MIGRATIONS } from '../src/persistence/migrations';
import { runSql } from '../src/persistence/sql';
import { UnitOfWork } from '../src/persistence/unit-of-work';
import { DatabaseWriter } from '../src/persistence/database-writer';
import { RetentionWorker } from '../src/workers/retention.worker';

const DAY_MS = 24 * 60 * 60 * 1000;
const RECIPIENTS_PER_NOTIFICATION = 10;
/** One entry in this many is left unread: the sweep must walk past it and keep it. */
const UNREAD_EVERY = 11;

const rowsArgument = process.argv.indexOf('--rows');
const deletableRows = rowsArgument === -1 ? 1_000_000 : Number(process.argv[rowsArgument + 1]);

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'retention-pause-'));
  const path = join(directory, 'notifications.sqlite');
  // The standalone server's SQLite settings: WAL, synchronous NORMAL, checkpoints in a worker thread.
  const connection = databaseConnectionOptions({ type: 'sqlite', path }, { checkpointInWorker: true }) as DataSourceOptions;
  const dataSource = new DataSource({
    ...connection,
    entities: NOTIFICATIONS_ENTITIES,
    migrations: NOTIFICATIONS_MIGRATIONS,
  } as DataSourceOptions);
  await dataSource.initialize();
  await dataSource.runMigrations();
  const unitOfWork = new UnitOfWork(dataSource);
  const checkpoints = new SqliteCheckpoints(dataSource, path, new DatabaseWriter(unitOfWork));
  checkpoints.onApplicationBootstrap();
  try {
    const filled = await fill(dataSource);
    console.log(`filled in ${seconds(filled.ms)}: ${filled.old} old entries (${filled.unread} of them unread), ${filled.recent} recent`);
    await explainWalk(dataSource);
    await measureSweep(dataSource, unitOfWork, filled.old - filled.unread);
  } finally {
    await checkpoints.beforeApplicationShutdown();
    await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Old notifications (40 days) with read entries and every 11th unread, then a tenth as many recent ones. */
async function fill(dataSource: DataSource) {
  const started = performance.now();
  const readPerNotification = RECIPIENTS_PER_NOTIFICATION - RECIPIENTS_PER_NOTIFICATION / UNREAD_EVERY;
  const oldNotifications = Math.ceil(deletableRows / readPerNotification);
  let old = 0;
  let unread = 0;
  let recent = 0;
  const insert = async (count: number, ageMs: number, state: (entry: number) => 'read' | 'unread') => {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    let entry = 0;
    for (let first = 0; first < count; first += 50) {
      const notifications: unknown[] = [];
      const entries: unknown[] = [];
      for (let index = first; index < Math.min(count, first + 50); index++) {
        const sentAt = Date.now() - ageMs + index;
        const id = uuidv7({ msecs: sentAt });
        const at = new Date(sentAt).toISOString();
        notifications.push(id, 'sweep.probe', 'Old', at);
        for (let user = 0; user < RECIPIENTS_PER_NOTIFICATION; user++) {
          const read = state(entry++) === 'read';
          entries.push(`user-${(index * 7 + user) % 50_000}`, id, at, read ? at : null, read ? at : null);
        }
      }
      await runner.query(
        `INSERT INTO notifications (id, type, title, created_at) VALUES ${'(?, ?, ?, ?), '.repeat(notifications.length / 4).slice(0, -2)}`,
        notifications,
      );
      await runner.query(
        `INSERT INTO notification_recipients (user_id, notification_id, created_at, delivered_at, read_at)
         VALUES ${'(?, ?, ?, ?, ?), '.repeat(entries.length / 5).slice(0, -2)}`,
        entries,
      );
    }
    await runner.commitTransaction();
    await runner.release();
    return entry;
  };
  for (let done = 0; done < oldNotifications; done += 10_000) {
    const count = Math.min(10_000, oldNotifications - done);
    old += await insert(count, 40 * DAY_MS - done * 100, (entry) => {
      const isUnread = entry % UNREAD_EVERY === 0;
      if (isUnread) unread++;
      return isUnread ? 'unread' : 'read';
    });
  }
  recent = await insert(Math.ceil(oldNotifications / 10), DAY_MS, () => 'read');
  await dataSource.query('ANALYZE');
  return { ms: performance.now() - started, old, unread, recent };
}

/** The plan of one window of the walk: it must seek the unique key, not scan the table. */
async function explainWalk(dataSource: DataSource): Promise<void> {
  const plan = await dataSource.query(
    `EXPLAIN QUERY PLAN SELECT r.cursor, r.created_at, r.read_at, r.archived_at, n.audience, n.expires_at
     FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id
     WHERE (r.notification_id, r.user_id) > (?, ?) AND r.notification_id < ? ORDER BY r.notification_id, r.user_id LIMIT 1000`,
    ['', '', 'ffffffff'],
  );
  console.log(`walk plan: ${plan.map((step: { detail: string }) => step.detail).join(' | ')}`);
}

/** Sweeps with a probe write queued every millisecond; prints the waits. */
async function measureSweep(dataSource: DataSource, unitOfWork: UnitOfWork, expectedDeletes: number): Promise<void> {
  const batchMs: number[] = [];
  // The worker's transactions, timed from their first statement to their last.
  const timedUnitOfWork = Object.assign(Object.create(unitOfWork) as UnitOfWork, {
    write: <T>(work: (manager: EntityManager) => Promise<T>, afterCommit?: (result: T) => void) =>
      unitOfWork.write(async (manager) => {
        const start = performance.now();
        try {
          return await work(manager);
        } finally {
          batchMs.push(performance.now() - start);
        }
      }, afterCommit),
  });
  const worker = new RetentionWorker(new ResolvedOptions({ retention: { days: 30 } }), timedUnitOfWork);

  const probeWaits: number[] = [];
  let sweeping = true;
  const probe = (async () => {
    while (sweeping) {
      // From when the probe was due, so a blocked event loop counts too.
      const due = performance.now() + 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
      await unitOfWork.write((manager) =>
        runSql(manager, `UPDATE notification_revocations SET revoked_before = ? WHERE user_id = ?`, ['x', 'probe']),
      );
      probeWaits.push(performance.now() - due);
    }
  })();
  const started = performance.now();
  const result = await worker.sweep();
  const sweepMs = performance.now() - started;
  sweeping = false;
  await probe;

  const remaining = Number((await dataSource.query('SELECT COUNT(*) AS "count" FROM notification_recipients'))[0].count);
  console.log(
    `deleted ${result.inboxEntries} entries (expected ${expectedDeletes}) and ${result.notifications} notifications in ${seconds(sweepMs)}`,
  );
  console.log(`entries left: ${remaining}`);
  console.log(
    `sweep transactions: ${batchMs.length}, each p50 ${quantile(batchMs, 0.5)} ms, p99 ${quantile(batchMs, 0.99)} ms, max ${quantile(batchMs, 1)} ms`,
  );
  console.log(
    `probe writes: ${probeWaits.length}, wait p50 ${quantile(probeWaits, 0.5)} ms, p99 ${quantile(probeWaits, 0.99)} ms, ` +
      `longest ${quantile(probeWaits, 1)} ms (the longest writer pause)`,
  );
}

function quantile(values: number[], q: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

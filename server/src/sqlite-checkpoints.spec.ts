import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseWriter } from 'nest-live-notifications';
import { UnitOfWork } from '../../src/persistence/unit-of-work';
import { CHECKPOINT_INTERVAL_MS, SqliteCheckpoints } from './sqlite-checkpoints';
import { eventually } from '../../test/support/eventually';

/** Rows of `rows` in the database file alone, as if its WAL were lost: only checkpointed rows are there. */
function rowsInFileAlone(file: string, directory: string): number {
  const copy = join(directory, 'file-alone.sqlite');
  copyFileSync(file, copy);
  const database = new Database(copy, { readonly: true });
  try {
    return (database.prepare('SELECT COUNT(*) AS count FROM rows').get() as { count: number }).count;
  } catch (error) {
    if (/no such table/.test((error as Error).message)) return 0; // not even the table was checkpointed yet
    throw error;
  } finally {
    database.close();
    rmSync(copy, { force: true });
  }
}

describe(SqliteCheckpoints.name, () => {
  let directory: string;
  let file: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'checkpoints-'));
    file = join(directory, 'db.sqlite');
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: file,
      enableWAL: true,
      // The server's settings (database-options.ts): a commit does not wait for the disk; the worker checkpoints.
      prepareDatabase: (connection: Database.Database) => {
        connection.pragma('synchronous = NORMAL');
        connection.pragma('wal_autocheckpoint = 0');
      },
    }).initialize();
    await dataSource.query('CREATE TABLE rows (value INTEGER)');
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  const writerFor = (unitOfWork: UnitOfWork) => new DatabaseWriter(unitOfWork);

  it('copies committed writes into the database file from its worker, while the connection itself never checkpoints', async () => {
    const checkpoints = new SqliteCheckpoints(dataSource, file, writerFor(new UnitOfWork(dataSource)));
    for (let value = 0; value < 100; value++) await dataSource.query('INSERT INTO rows VALUES (?)', [value]);
    expect(rowsInFileAlone(file, directory)).toBe(0);

    checkpoints.onApplicationBootstrap();
    await eventually(
      async () => rowsInFileAlone(file, directory),
      (rows) => rows === 100,
      CHECKPOINT_INTERVAL_MS * 5,
    );

    await checkpoints.beforeApplicationShutdown();
    await dataSource.destroy();
    expect(existsSync(`${file}-wal`)).toBe(false); // the last connection to close checkpointed the rest
  });

  it('lets the connection checkpoint again when the worker cannot run', async () => {
    const checkpoints = new SqliteCheckpoints(dataSource, join(directory, 'missing', 'db.sqlite'), writerFor(new UnitOfWork(dataSource)));
    checkpoints.onApplicationBootstrap();
    await eventually(
      async () => (await dataSource.query('PRAGMA wal_autocheckpoint'))[0].wal_autocheckpoint,
      (pages) => pages === 1000,
    );
    await checkpoints.beforeApplicationShutdown();
  });

  it('starts the log over while writes never stop, so that the WAL file stays small', async () => {
    const unitOfWork = new UnitOfWork(dataSource);
    const restartAfterFrames = 256; // 1 MiB of 4 KiB pages
    const checkpoints = new SqliteCheckpoints(dataSource, file, writerFor(unitOfWork), { intervalMs: 10, restartAfterFrames });
    await dataSource.query('CREATE TABLE pages (body BLOB)');
    checkpoints.onApplicationBootstrap();
    await checkpoints.checkpointNow(); // the worker is up
    // A transaction of about three pages each event-loop turn, as requests bring them: a commit
    // lands during every checkpoint, so that without the last one between transactions the log
    // never starts over, and its file ends at about 75 MB.
    const body = Buffer.alloc(3000, 1);
    const transactions = 6000;
    for (let row = 0; row < transactions; row++) {
      await new Promise((resolve) => setImmediate(resolve));
      await unitOfWork.write((manager) => manager.query('INSERT INTO pages VALUES (?)', [body]));
    }
    await checkpoints.beforeApplicationShutdown();

    expect(await dataSource.query('SELECT COUNT(*) AS count FROM pages')).toEqual([{ count: transactions }]);
    // About 5 MB here: the limit, and what was written between two checkpoints and during the last passes.
    expect(statSync(`${file}-wal`).size).toBeLessThan(24 * 1024 * 1024);
  });
});

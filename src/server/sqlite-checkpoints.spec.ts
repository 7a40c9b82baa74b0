import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
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
      prepareDatabase: (connection: Database.Database) => void connection.pragma('wal_autocheckpoint = 0'),
    }).initialize();
    await dataSource.query('CREATE TABLE rows (value INTEGER)');
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it('copies committed writes into the database file from its worker, while the connection itself never checkpoints', async () => {
    const checkpoints = new SqliteCheckpoints(dataSource, file);
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
    const checkpoints = new SqliteCheckpoints(dataSource, join(directory, 'missing', 'db.sqlite'));
    checkpoints.onApplicationBootstrap();
    await eventually(
      async () => (await dataSource.query('PRAGMA wal_autocheckpoint'))[0].wal_autocheckpoint,
      (pages) => pages === 1000,
    );
    await checkpoints.beforeApplicationShutdown();
  });
});

import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1000;
/** SQLite's own default, restored if the worker stops. */
const AUTOCHECKPOINT_PAGES = 1000;
/** How long shutdown waits for the worker to close its connection before terminating it. */
const WORKER_STOP_TIMEOUT_MS = 1000;

// The worker's whole program: its own connection to the same file, and a passive checkpoint
// (it never blocks the server's writes) every interval until told to stop.
const WORKER_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.driver);
  const db = new Database(workerData.file);
  const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
  parentPort.on('message', () => {
    clearInterval(timer);
    db.close();
    parentPort.close();
  });
`;

/**
 * Checkpoints the standalone server's SQLite file from a worker thread. With
 * `synchronous = NORMAL` a WAL commit never waits for the disk, but a checkpoint writes and
 * fsyncs the database file, and SQLite runs one inside whichever commit crosses 1,000 pages:
 * a stall of milliseconds on the event loop, in the middle of a send. So the server's own
 * connection never checkpoints (`wal_autocheckpoint = 0`, set by ServerModule) and this
 * worker does it instead. If the worker fails, the connection checkpoints itself again.
 */
export class SqliteCheckpoints implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SqliteCheckpoints');
  private worker: Worker | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly databaseFile: string,
  ) {}

  onApplicationBootstrap(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.databaseFile, intervalMs: CHECKPOINT_INTERVAL_MS },
    });
    worker.on('error', (error) => {
      this.logger.warn(`The checkpoint worker failed (${error.message}); the server's connection checkpoints again`);
      void this.checkpointOnCommits();
    });
    worker.unref();
    this.worker = worker;
  }

  /**
   * Closes the worker's connection before TypeORM closes the server's: SQLite checkpoints and
   * removes the WAL when the last connection to a file closes, so the file holds everything.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    // Unreferenced, the worker would not keep the event loop alive while it stops: with nothing
    // else pending the process would end here, halfway through its shutdown, and skip the rest.
    worker.ref();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), WORKER_STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (stopped) return;
    this.logger.warn(`The checkpoint worker did not stop within ${WORKER_STOP_TIMEOUT_MS} ms; terminating it`);
    await worker.terminate();
  }

  private async checkpointOnCommits(): Promise<void> {
    this.worker = undefined;
    if (this.dataSource.isInitialized) await this.dataSource.query(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}

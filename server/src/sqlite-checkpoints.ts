import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DatabaseWriter } from 'nest-live-notifications';
import { DataSource } from 'typeorm';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1000;
/**
 * Frames (pages) in the WAL past which a checkpoint is finished between two transactions, so
 * that the log starts over: 16,384 frames of 4 KiB, about 64 MiB.
 */
export const RESTART_AFTER_FRAMES = 16_384;
/** The WAL file is cut back to this size when the log starts over after a longer burst. */
export const WAL_SIZE_LIMIT_BYTES = 256 * 1024 * 1024;
/** SQLite's own default, restored if the worker stops. */
const AUTOCHECKPOINT_PAGES = 1000;
/** How long shutdown waits for the worker to close its connection before terminating it. */
const WORKER_STOP_TIMEOUT_MS = 1000;
/** How long the server waits for a checkpoint's answer before it gives up on it. */
const CHECKPOINT_TIMEOUT_MS = 5000;
/**
 * How long the module's work waits for the checkpoint between its transactions. Past that it
 * goes on (a checkpoint may run beside writes), and the log starts over another time.
 */
const BETWEEN_TRANSACTIONS_TIMEOUT_MS = 250;
/** Checkpoints before the one between transactions, at most, while they are not yet quick. */
const MAX_PASSES_BEFORE_RESTART = 4;
/** A checkpoint this short copied few frames: the next can run between transactions. */
const QUICK_CHECKPOINT_MS = 5;

/** What `PRAGMA wal_checkpoint` answers: frames in the log, and how many of them are in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// The worker's whole program: its own connection to the same file, and a passive checkpoint
// (it never blocks the server's writes) each time the server asks, answered with its result.
const WORKER_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.driver);
  const db = new Database(workerData.file);
  parentPort.on('message', (message) => {
    if (message !== 'stop') return parentPort.postMessage({ ...db.pragma('wal_checkpoint(PASSIVE)')[0], id: message.id });
    db.close();
    parentPort.close();
  });
`;

export interface SqliteCheckpointsOptions {
  intervalMs?: number;
  restartAfterFrames?: number;
}

/**
 * Checkpoints the standalone server's SQLite file from a worker thread. With
 * `synchronous = NORMAL` a WAL commit never waits for the disk, but a checkpoint writes and
 * fsyncs the database file, and SQLite runs one inside whichever commit crosses 1,000 pages:
 * a stall of milliseconds on the event loop, in the middle of a send. So the server's own
 * connection never checkpoints (`wal_autocheckpoint = 0`, set by ServerModule) and this
 * worker does it instead. If the worker fails, the connection checkpoints itself again.
 *
 * SQLite starts the log over only when a write begins with every frame of it checkpointed.
 * While sends never stop, a commit lands during every checkpoint, so that never happens and
 * the log grows without end (over 600 MB in a 45-second benchmark), and every commit extends
 * the file, which costs more than writing over it (BENCHMARKS.md). So once the log is past
 * RESTART_AFTER_FRAMES, a last checkpoint runs between two of the module's transactions
 * (DatabaseWriter): it copies the few frames the ones before it missed, and the next commit
 * starts the log from its beginning. The module's work waits for that checkpoint: up to 15 ms
 * every two seconds or so at 1,000 sends a second and more (BENCHMARKS.md).
 */
export class SqliteCheckpoints implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SqliteCheckpoints');
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checkpointing = false;
  private lastRequest = 0;
  private readonly intervalMs: number;
  private readonly restartAfterFrames: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly databaseFile: string,
    private readonly writer: DatabaseWriter,
    { intervalMs = CHECKPOINT_INTERVAL_MS, restartAfterFrames = RESTART_AFTER_FRAMES }: SqliteCheckpointsOptions = {},
  ) {
    this.intervalMs = intervalMs;
    this.restartAfterFrames = restartAfterFrames;
  }

  onApplicationBootstrap(): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file: this.databaseFile },
    });
    worker.on('error', (error) => {
      this.logger.warn(`The checkpoint worker failed (${error.message}); the server's connection checkpoints again`);
      void this.checkpointOnCommits();
    });
    worker.unref();
    this.worker = worker;
    this.timer = setInterval(() => void this.checkpointNow(), this.intervalMs).unref();
  }

  /**
   * One checkpoint; and when the log is long, more until one is quick, then a last one
   * between transactions, so that the log starts over. Skipped while the last is still running.
   */
  async checkpointNow(): Promise<void> {
    if (this.checkpointing || !this.worker) return;
    this.checkpointing = true;
    try {
      const { log } = await this.checkpoint(CHECKPOINT_TIMEOUT_MS);
      if (log < this.restartAfterFrames) return;
      // Each pass copies what was written during the one before, so they shorten, and the
      // module's work waits only for the frames of the last few milliseconds.
      for (let pass = 1; pass < MAX_PASSES_BEFORE_RESTART; pass++) {
        const started = performance.now();
        await this.checkpoint(CHECKPOINT_TIMEOUT_MS);
        if (performance.now() - started < QUICK_CHECKPOINT_MS) break;
      }
      await this.writer.betweenTransactions(() => this.checkpoint(BETWEEN_TRANSACTIONS_TIMEOUT_MS));
    } catch (error) {
      this.logger.warn(`A checkpoint did not finish: ${(error as Error).message}`);
    } finally {
      this.checkpointing = false;
    }
  }

  /** Asks the worker for a passive checkpoint: its answer, or an error after `timeoutMs` (a late answer is dropped). */
  private checkpoint(timeoutMs: number): Promise<CheckpointResult> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the checkpoint worker has stopped'));
    const id = ++this.lastRequest;
    return new Promise<CheckpointResult>((resolve, reject) => {
      const answered = (result: CheckpointResult & { id: number }) => {
        if (result.id !== id) return;
        worker.off('message', answered);
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        worker.off('message', answered);
        reject(new Error(`no answer from the checkpoint worker within ${timeoutMs} ms`));
      }, timeoutMs);
      worker.on('message', answered);
      worker.postMessage({ id });
    });
  }

  /**
   * Closes the worker's connection before TypeORM closes the server's: SQLite checkpoints and
   * removes the WAL when the last connection to a file closes, so the file holds everything.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
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
    clearInterval(this.timer);
    this.worker = undefined;
    if (this.dataSource.isInitialized) await this.dataSource.query(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EntityManager } from 'typeorm';
import { ResolvedOptions } from '../config/resolved-options';
import { firstIdAt, RetentionStore, WALK_START, WalkPosition, WalkStep } from '../persistence/retention.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { CursorMarksStore } from '../persistence/cursor-marks.store';
import { PeriodicTask } from './periodic-task';

/**
 * Rows one transaction looks at. Each is a short unit of work (a few milliseconds on SQLite,
 * see scripts/retention-sweep-pause.ts), so sends and acks queued meanwhile wait little.
 */
export const SWEEP_WINDOW = 250;

/** What one sweep deleted. */
export interface SweepResult {
  inboxEntries: number;
  notifications: number;
  revocations: number;
}

/**
 * Deletes what the retention options say is no longer needed: inbox entries read or archived
 * longer ago than `retention.days` (never an unread, unexpired one), notifications that old
 * left with no recipient, and revocations older than the longest a token can live
 * (`jwt.maxTokenAgeSeconds`). Idempotency keys past 24 h and expired notifications are the
 * ExpiryCleanupWorker's, which runs whatever the options.
 *
 * Every node runs it; on PostgreSQL each batch first takes a lock that only one node can hold,
 * and a node that finds it taken leaves this run to the node that holds it.
 */
@Injectable()
export class RetentionWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RetentionWorker');
  private readonly store = new RetentionStore();
  private readonly cursorMarks = new CursorMarksStore();
  private readonly task: PeriodicTask;
  private lastResult: SweepResult = { inboxEntries: 0, notifications: 0, revocations: 0 };

  constructor(
    private readonly options: ResolvedOptions,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.task = new PeriodicTask('Deleting notifications past their retention', this.logger, async () => {
      // A failed run (logged by the task) reports nothing deleted rather than the previous run's figures.
      this.lastResult = { inboxEntries: 0, notifications: 0, revocations: 0 };
      this.lastResult = await this.sweepOnce();
    });
  }

  onApplicationBootstrap(): void {
    const { inboxMs, revocationMs } = this.options.retention;
    if (inboxMs !== null || revocationMs !== null) this.task.start(this.options.timing.retentionSweepMs);
  }

  /** Sweeps now (the timer does this on its own); resolves with what it deleted. */
  async sweep(): Promise<SweepResult> {
    await this.task.runOnce();
    return this.lastResult;
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  private async sweepOnce(): Promise<SweepResult> {
    const result: SweepResult = { inboxEntries: 0, notifications: 0, revocations: 0 };
    const startedAt = Date.now();
    const { inboxMs, revocationMs } = this.options.retention;
    if (inboxMs !== null) {
      const cutoff = startedAt - inboxMs;
      const sentBeforeId = firstIdAt(cutoff + 1);
      const createdBefore = new Date(cutoff).toISOString();
      result.inboxEntries = await this.walk((manager, position) =>
        this.store.deleteOldReadEntries(manager, position, sentBeforeId, createdBefore, new Date().toISOString(), SWEEP_WINDOW),
      );
      result.notifications = await this.walk((manager, position) =>
        this.store.deleteOrphans(manager, position, sentBeforeId, createdBefore, SWEEP_WINDOW),
      );
      // A mark a minute while sends happen: those older than what is kept bound no page any more.
      await this.unitOfWork.write((manager) => this.cursorMarks.deleteOlderThan(manager, createdBefore));
    }
    if (revocationMs !== null) {
      const revokedBefore = new Date(startedAt - revocationMs).toISOString();
      result.revocations = await this.walk(async (manager) => {
        const deleted = await this.store.deleteRevocations(manager, revokedBefore, SWEEP_WINDOW);
        return { next: deleted < SWEEP_WINDOW ? undefined : WALK_START, deleted };
      });
    }
    if (result.inboxEntries + result.notifications + result.revocations > 0) {
      this.logger.log(
        `Deleted ${result.inboxEntries} inbox entries, ${result.notifications} notifications, ` +
          `${result.revocations} revocations in ${Date.now() - startedAt} ms`,
      );
    }
    return result;
  }

  /**
   * Runs `step` in a transaction of its own from the start of a walk until it reports the end,
   * or until another node holds the sweep (PostgreSQL); returns how many rows it deleted.
   */
  private async walk(step: (manager: EntityManager, position: WalkPosition) => Promise<WalkStep>): Promise<number> {
    let position: WalkPosition | undefined = WALK_START;
    let deleted = 0;
    while (position) {
      const from: WalkPosition = position;
      const done: WalkStep | undefined = await this.unitOfWork.write(async (manager) =>
        (await this.store.claimSweep(manager)) ? step(manager, from) : undefined,
      );
      if (!done) break;
      deleted += done.deleted;
      position = done.next;
      // On SQLite every statement runs synchronously: queued back to back, the batches would
      // keep the event loop from reading requests until the walk ends. Between two of them
      // the requests that arrived get read, and their units join the next batch's group.
      await nextTurn();
    }
    return deleted;
  }
}

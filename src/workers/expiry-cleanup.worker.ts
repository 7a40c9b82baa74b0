import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EntityManager } from 'typeorm';
import { ResolvedOptions } from '../config/resolved-options';
import { AudienceStore } from '../persistence/audience.store';
import { IDEMPOTENCY_WINDOW_MS } from '../model/idempotency-key';
import { NotificationsStore } from '../persistence/notifications.store';
import { PeriodicTask } from './periodic-task';
import { UnitOfWork } from '../persistence/unit-of-work';

/** Rows deleted per transaction, so a large cleanup never holds the writer long. */
const DELETES_PER_TRANSACTION = 500;

/**
 * Deletes what has expired, in the background: expired notifications with their inbox rows,
 * and idempotency keys past their 24 h window (which would otherwise grow by every keyed send
 * for good). Queries already ignore both, so cleanup only reclaims space and is never late
 * for correctness.
 */
@Injectable()
export class ExpiryCleanupWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly audiences = new AudienceStore();
  private readonly inbox = new NotificationsStore();
  private readonly task: PeriodicTask;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.task = new PeriodicTask('Deleting expired notifications and idempotency keys', new Logger('ExpiryCleanupWorker'), async () => {
      await this.inBatches((manager, now) => this.audiences.deleteExpired(manager, now.toISOString(), DELETES_PER_TRANSACTION));
      await this.inBatches((manager, now) => {
        const windowStart = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS).toISOString();
        return this.inbox.deleteIdempotencyKeys(manager, windowStart, DELETES_PER_TRANSACTION);
      });
    });
  }

  onApplicationBootstrap(): void {
    this.task.start(this.options.timing.expiryCleanupMs);
  }

  /** Deletes what has expired now (the timer does this on its own). */
  removeExpired(): Promise<void> {
    return this.task.runOnce();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** Runs `deleteBatch` in a transaction of its own until a batch comes back short. */
  private async inBatches(deleteBatch: (manager: EntityManager, now: Date) => Promise<number>): Promise<void> {
    for (;;) {
      const deleted = await this.unitOfWork.write((manager) => deleteBatch(manager, new Date()));
      if (deleted < DELETES_PER_TRANSACTION) return;
      // SQLite's statements run synchronously: back to back, the batches would keep the event
      // loop from reading requests until the last one. Between two, what arrived gets read.
      await nextTurn();
    }
  }
}

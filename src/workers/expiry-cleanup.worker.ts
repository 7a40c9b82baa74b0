import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ResolvedOptions } from '../config/resolved-options';
import { AudienceStore } from '../persistence/audience.store';
import { PeriodicTask } from './periodic-task';
import { UnitOfWork } from '../persistence/unit-of-work';

/** Notifications deleted per transaction, so a large cleanup never holds the writer long. */
const DELETES_PER_TRANSACTION = 500;

/**
 * Deletes expired notifications and their inbox rows in the background. Queries already hide
 * expired rows, so cleanup only reclaims space and is never late for correctness.
 */
@Injectable()
export class ExpiryCleanupWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly store = new AudienceStore();
  private readonly task: PeriodicTask;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.task = new PeriodicTask('Deleting expired notifications', new Logger('ExpiryCleanupWorker'), async () => {
      for (;;) {
        const deleted = await this.unitOfWork.write((manager) =>
          this.store.deleteExpired(manager, new Date().toISOString(), DELETES_PER_TRANSACTION),
        );
        if (deleted < DELETES_PER_TRANSACTION) return;
      }
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
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ResolvedOptions } from '../config/resolved-options';
import { SendPipeline } from '../notifications/send-pipeline';
import { Snoozes } from '../notifications/snoozes';
import { PeriodicTask } from './periodic-task';

/** Held notifications released per tick; the next tick continues a longer queue. */
const RELEASES_PER_TICK = 100;

/**
 * Releases notifications held until `deliverAt`, and snoozed ones whose `until` has come,
 * polling the database. The hold lives in the database, so what was due during a restart is
 * released by the first tick after it.
 */
@Injectable()
export class ScheduledDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly sender: SendPipeline,
    private readonly snoozes: Snoozes,
  ) {
    this.task = new PeriodicTask('Releasing scheduled notifications', new Logger('ScheduledDeliveryWorker'), async () => {
      while ((await this.sender.releaseDue(RELEASES_PER_TICK)) === RELEASES_PER_TICK);
      while ((await this.snoozes.releaseDue(RELEASES_PER_TICK)) === RELEASES_PER_TICK);
    });
  }

  onApplicationBootstrap(): void {
    this.task.start(this.options.timing.schedulePollMs);
  }

  /** Releases what is due now (the timer does this on its own). */
  releaseDue(): Promise<void> {
    return this.task.runOnce();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}

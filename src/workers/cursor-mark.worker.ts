import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ResolvedOptions } from '../config/resolved-options';
import { CursorMarksStore } from '../persistence/cursor-marks.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { PeriodicTask } from './periodic-task';

/**
 * Marks, about once a minute (`timing.cursorMarkMs`), how far the inbox's cursors have come
 * (CursorMarksStore), so that a page with `since` walks only the rows from the newest mark
 * before it. Every node runs it; two marks of the same minute from two nodes are both sound.
 * Writes nothing while nothing was written since the last mark.
 */
@Injectable()
export class CursorMarkWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly store = new CursorMarksStore();
  private readonly task: PeriodicTask;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.task = new PeriodicTask('Marking the inbox cursor', new Logger('CursorMarkWorker'), () => this.markOnce());
  }

  onApplicationBootstrap(): void {
    this.task.start(this.options.timing.cursorMarkMs);
  }

  /** Marks now (the timer does this on its own). */
  mark(): Promise<void> {
    return this.task.runOnce();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  private async markOnce(): Promise<void> {
    const { highest, marked } = await this.unitOfWork.read((manager) => this.store.positions(manager));
    if (highest === marked) return;
    // Taken after the read: every row up to `highest` was written, so created, before it.
    const at = new Date().toISOString();
    await this.unitOfWork.write((manager) => this.store.mark(manager, at, highest));
  }
}

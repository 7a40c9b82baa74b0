import { Logger } from '@nestjs/common';

/**
 * Runs `task` every `intervalMs`, never two at once, on an unref'd timer (it never keeps
 * the process alive); errors are logged and the next tick tries again.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly task: () => Promise<unknown>,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  /** Runs the task now unless a run is in progress; resolves when that run is over. */
  runOnce(): Promise<void> {
    this.running ??= this.task()
      .then(
        () => undefined,
        (error) => this.logger.error(`${this.name} failed: ${error instanceof Error ? error.message : error}`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

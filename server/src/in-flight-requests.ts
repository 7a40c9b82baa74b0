import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';

/** How long shutdown waits for requests already being handled. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Counts HTTP requests being handled, so that shutdown lets them finish before the database
 * closes (Nest closes TypeORM in onApplicationShutdown, after this hook).
 */
@Injectable()
export class InFlightRequests implements BeforeApplicationShutdown {
  private readonly logger = new Logger('InFlightRequests');
  private active = 0;
  private onIdle: (() => void) | undefined;

  /** A request hook: counts the request until its response is finished or abandoned. */
  readonly track = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    this.active++;
    response.once('close', () => {
      this.active--;
      if (this.active === 0) this.onIdle?.();
    });
    next();
  };

  async beforeApplicationShutdown(): Promise<void> {
    if (this.active === 0) return;
    this.logger.log(`Waiting for ${this.active} request(s) in flight`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.onIdle = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (this.active > 0) this.logger.warn(`Shutting down with ${this.active} request(s) still in flight`);
  }
}

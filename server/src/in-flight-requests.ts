import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';

/** How long shutdown waits for requests already being handled. */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Counts HTTP requests being handled, so that shutdown lets them finish before the database
 * closes (Nest closes TypeORM in onApplicationShutdown, after this hook). Those still in
 * flight after DRAIN_TIMEOUT_MS are cut: the HTTP server would otherwise wait for them to
 * close (an upload that stalled half-way never does), and the process with it.
 */
@Injectable()
export class InFlightRequests implements BeforeApplicationShutdown {
  private readonly logger = new Logger('InFlightRequests');
  private readonly active = new Set<ServerResponse>();
  private onIdle: (() => void) | undefined;

  /** A request hook: counts the request until its response is finished or abandoned. */
  readonly track = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    this.active.add(response);
    response.once('close', () => {
      this.active.delete(response);
      if (this.active.size === 0) this.onIdle?.();
    });
    next();
  };

  async beforeApplicationShutdown(): Promise<void> {
    if (this.active.size === 0) return;
    this.logger.log(`Waiting for ${this.active.size} request(s) in flight`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.onIdle = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (this.active.size === 0) return;
    this.logger.warn(`Cutting ${this.active.size} request(s) still in flight after ${DRAIN_TIMEOUT_MS / 1000} s`);
    for (const response of this.active) response.destroy();
  }
}

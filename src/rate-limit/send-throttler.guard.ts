import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ResolvedOptions } from '../config/resolved-options';
import { PRINCIPAL_KEY } from '../auth/bearer-auth.guard';
import { Principal } from '../auth/principal';
import { SlidingWindowThrottlerStorage } from './sliding-window-throttler.storage';

/** Sets a response header on Fastify's reply or Node's response alike. */
function setHeader(
  response: { header?: (name: string, value: unknown) => unknown; setHeader?: (name: string, value: unknown) => unknown },
  name: string,
  value: number,
): void {
  if (typeof response.header === 'function') response.header(name, value);
  else response.setHeader?.(name, value);
}

/**
 * 429 when one sender (the token's `sub`, not the IP: many senders share a gateway's IP)
 * sends more than the limit per window, answered as @nestjs/throttler's guard answers it
 * (ThrottlerException, `Retry-After`, the `X-RateLimit-*` headers) and counted in a
 * ThrottlerStorage. Not that guard itself: it serves every route and throttler a host could
 * declare, with six metadata lookups per send that this one route never needs (a measurable
 * share of what a send allocates). The module keeps its own storage, so it neither
 * needs nor disturbs a ThrottlerModule the host app may have; the storage counts in constant
 * time per send (SlidingWindowThrottlerStorage).
 */
@Injectable()
export class SendThrottlerGuard implements CanActivate, OnApplicationShutdown {
  private readonly storage = new SlidingWindowThrottlerStorage();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(options: ResolvedOptions) {
    ({ limit: this.limit, windowMs: this.windowMs } = options.sendRateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const sender = (http.getRequest()[PRINCIPAL_KEY] as Principal).userId;
    const response = http.getResponse();
    // Over the limit blocks the sender for the rest of a window, as the guard's default does.
    const { totalHits, timeToExpire, isBlocked, timeToBlockExpire } = await this.storage.increment(
      sender,
      this.windowMs,
      this.limit,
      this.windowMs,
    );
    if (isBlocked) {
      setHeader(response, 'Retry-After', timeToBlockExpire);
      throw new HttpException('ThrottlerException: Too Many Requests', HttpStatus.TOO_MANY_REQUESTS);
    }
    setHeader(response, 'X-RateLimit-Limit', this.limit);
    setHeader(response, 'X-RateLimit-Remaining', Math.max(0, this.limit - totalHits));
    setHeader(response, 'X-RateLimit-Reset', timeToExpire);
    return true;
  }

  onApplicationShutdown(): void {
    this.storage.close();
  }
}

import { CanActivate, ExecutionContext, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { NOTIFICATIONS_MODULE_OPTIONS } from '../notifications.module-definition';
import { DEFAULT_SEND_RATE_LIMIT, DEFAULT_SEND_RATE_WINDOW_MS, NotificationsModuleOptions } from '../notifications.options';
import { PRINCIPAL_KEY } from './bearer-auth.guard';
import { Principal } from './principal';
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
 * declare, with six metadata lookups per send that this one route never needs (3–5 % of the
 * bytes allocated per send, BENCHMARKS.md). The module keeps its own storage, so it neither
 * needs nor disturbs a ThrottlerModule the host app may have; the storage counts in constant
 * time per send (SlidingWindowThrottlerStorage).
 */
@Injectable()
export class SendThrottlerGuard implements CanActivate, OnApplicationShutdown {
  private readonly storage = new SlidingWindowThrottlerStorage();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(@Inject(NOTIFICATIONS_MODULE_OPTIONS) options: NotificationsModuleOptions) {
    ({ limit: this.limit = DEFAULT_SEND_RATE_LIMIT, windowMs: this.windowMs = DEFAULT_SEND_RATE_WINDOW_MS } = options.sendRateLimit ?? {});
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
      throw new ThrottlerException();
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

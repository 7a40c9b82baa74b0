import { CanActivate, ExecutionContext, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard } from '@nestjs/throttler';
import { NOTIFICATIONS_MODULE_OPTIONS } from '../notifications.module-definition';
import { DEFAULT_SEND_RATE_LIMIT, DEFAULT_SEND_RATE_WINDOW_MS, NotificationsModuleOptions } from '../notifications.options';
import { PRINCIPAL_KEY } from './bearer-auth.guard';
import { Principal } from './principal';
import { SlidingWindowThrottlerStorage } from './sliding-window-throttler.storage';

/** @nestjs/throttler's guard, counting per authenticated sender rather than per IP. */
class PerSenderThrottler extends ThrottlerGuard {
  protected async getTracker(request: Record<string, any>): Promise<string> {
    return (request[PRINCIPAL_KEY] as Principal).userId;
  }

  /**
   * The sender id itself: this storage serves one route and one throttler, so the default
   * key (a SHA-256 of class, handler, throttler and tracker, computed on every send) would
   * only disguise the same string.
   */
  protected generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }
}

/**
 * 429 when one sender (the token's `sub`, not the IP: many senders share a gateway's IP)
 * sends more than the limit per window. The module keeps its own throttler and storage, so
 * it neither needs nor disturbs a ThrottlerModule the host app may have; the storage counts
 * in constant time per send (SlidingWindowThrottlerStorage).
 */
@Injectable()
export class SendThrottlerGuard implements CanActivate, OnApplicationShutdown {
  private readonly storage = new SlidingWindowThrottlerStorage();
  private readonly throttler: PerSenderThrottler;
  private readonly ready: Promise<void>;

  constructor(@Inject(NOTIFICATIONS_MODULE_OPTIONS) options: NotificationsModuleOptions, reflector: Reflector) {
    const { limit = DEFAULT_SEND_RATE_LIMIT, windowMs = DEFAULT_SEND_RATE_WINDOW_MS } = options.sendRateLimit ?? {};
    this.throttler = new PerSenderThrottler({ throttlers: [{ limit, ttl: windowMs }] }, this.storage, reflector);
    this.ready = this.throttler.onModuleInit();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.ready;
    return this.throttler.canActivate(context);
  }

  onApplicationShutdown(): void {
    this.storage.close();
  }
}

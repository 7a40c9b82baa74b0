import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';

/** How long readiness waits for Redis to connect and answer PING. */
const PING_TIMEOUT_MS = 2000;

/**
 * Readiness of the Redis that nodes share delivery through: a short-lived connection per
 * probe (probes come every few seconds, not per request), PING, disconnect. No retries and no
 * offline queue, so a dead Redis answers `down` quickly instead of hanging the probe.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly url: string,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'redis') {
    const indicator = this.indicators.check(key);
    const client = new Redis(this.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: PING_TIMEOUT_MS,
      // The probe is done with the socket: don't keep it (and a 2 s timer) around after the answer.
      disconnectTimeout: 100,
      retryStrategy: () => null,
    });
    // Failures surface as `down` below; without a listener ioredis would also print them.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      client.disconnect();
    }
  }
}

import { RedisOptions } from 'ioredis';

/** Options of the Redis bus; every node of one deployment uses the same `url` and `keyPrefix`. */
export interface RedisDeliveryBusOptions {
  url: string;
  /** Prefix of every key and channel (default `notifications`). */
  keyPrefix?: string;
  /** How often a node renews its liveness; one silent for three intervals is dead (default 2000). */
  heartbeatMs?: number;
  /** A Redis command that takes longer fails, so presence never holds a send up (default 1000). */
  commandTimeoutMs?: number;
  /** Messages kept while Redis is unreachable, sent when it returns (default 10000). */
  maxPendingMessages?: number;
}

/** How both of a node's connections behave: a send never waits on Redis. */
export function connectionOptions(options: RedisDeliveryBusOptions): RedisOptions {
  return {
    lazyConnect: true,
    // Fail at once while disconnected rather than queue: a send must never wait on Redis.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // On quit, ioredis waits this long for the socket to close before destroying it; with Redis
    // down there is no socket to wait for, and the default 2 s kept a stopped node alive.
    disconnectTimeout: 100,
  };
}

/**
 * What the commands connection adds (not the subscriber's): auto-pipelining, so that what all
 * the sends of one event-loop turn ask of Redis (presence reads, lookups, publishes, issued as
 * plain commands) goes out in one write.
 */
export const COMMANDS_CONNECTION: RedisOptions = { enableAutoPipelining: true };

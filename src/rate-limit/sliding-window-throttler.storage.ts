/** What one hit returns: the shape of @nestjs/throttler's storage record. */
export interface ThrottlerStorageRecord {
  totalHits: number;
  /** Seconds until the window ends. */
  timeToExpire: number;
  isBlocked: boolean;
  /** Seconds until the block ends. */
  timeToBlockExpire: number;
}

interface Counter {
  ttl: number;
  /** Start of the current window, a multiple of the window length. */
  windowStart: number;
  current: number;
  previous: number;
  /** Refused until then after going over the limit (blockDuration). */
  blockedUntil: number;
}

/**
 * A ThrottlerStorage that counts in constant time and memory per key: a sliding window
 * estimated from two fixed windows (this one's hits, plus the last one's weighted by how much
 * of it the sliding window still covers). @nestjs/throttler's built-in storage keeps one
 * timestamp per hit and copies and scans them all on every request, so its cost grows with the
 * hits in the window (a sender allowed thousands of sends a second pays milliseconds a
 * request); this one costs the same whatever the count.
 *
 * Like the built-in storage, a refused hit is not counted, and going over the limit blocks
 * the key for `blockDuration` (the guard defaults it to the window).
 */
export class SlidingWindowThrottlerStorage {
  private readonly counters = new Map<string, Counter>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepIntervalMs = 60_000) {
    this.sweeper = setInterval(() => this.evictIdle(Date.now()), sweepIntervalMs);
    this.sweeper.unref();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttler?: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const windowStart = now - (now % ttl);
    const counter = this.counterFor(key, windowStart, ttl);
    const timeToExpire = seconds(windowStart + ttl - now);
    if (now < counter.blockedUntil) {
      return { totalHits: limit + 1, timeToExpire, isBlocked: true, timeToBlockExpire: seconds(counter.blockedUntil - now) };
    }
    const covered = 1 - (now - windowStart) / ttl;
    const hits = Math.floor(counter.previous * covered) + counter.current + 1;
    if (hits > limit) {
      if (blockDuration > 0) counter.blockedUntil = now + blockDuration;
      const retryAt = blockDuration > 0 ? counter.blockedUntil : nextAdmission(counter, limit, now);
      return { totalHits: hits, timeToExpire, isBlocked: true, timeToBlockExpire: seconds(retryAt - now) };
    }
    counter.current++;
    return { totalHits: hits, timeToExpire, isBlocked: false, timeToBlockExpire: 0 };
  }

  /** Stops the sweep (the module's shutdown). */
  close(): void {
    clearInterval(this.sweeper);
  }

  /** The key's counter, moved on to the window that contains `windowStart`. */
  private counterFor(key: string, windowStart: number, ttl: number): Counter {
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { ttl, windowStart, current: 0, previous: 0, blockedUntil: 0 };
      this.counters.set(key, counter);
    } else if (counter.windowStart !== windowStart || counter.ttl !== ttl) {
      counter.previous = counter.windowStart === windowStart - ttl && counter.ttl === ttl ? counter.current : 0;
      counter.ttl = ttl;
      counter.current = 0;
      counter.windowStart = windowStart;
    }
    return counter;
  }

  /** Forgets keys with no hits in the last two windows and no block in force. */
  private evictIdle(now: number): void {
    for (const [key, counter] of this.counters) {
      if (counter.blockedUntil <= now && counter.windowStart < now - 2 * counter.ttl) {
        this.counters.delete(key);
      }
    }
  }
}

/** When enough of the last window's hits will have slid out for one more (without a block). */
function nextAdmission({ ttl, windowStart, current, previous }: Counter, limit: number, now: number): number {
  const room = limit - current - 1;
  if (room < 0 || previous === 0) return windowStart + ttl;
  return Math.max(now, windowStart + ttl * (1 - room / previous));
}

function seconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}

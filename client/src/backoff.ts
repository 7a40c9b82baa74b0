/** Settings of {@link Backoff}. */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Returns a number in [0, 1), like `Math.random`. */
  random: () => number;
}

/**
 * Exponential backoff with full jitter: delay = random(0, min(cap, base * 2^attempt)).
 * Full jitter (rather than a fixed delay ± a fraction) is what spreads a crowd of
 * clients dropped at the same instant across the whole window.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The upper bound of the next delay, at least `minimumWindowMs`. */
  window(minimumWindowMs = 0): number {
    const { baseMs, capMs } = this.options;
    const exponential = baseMs * 2 ** this.attempt;
    return Math.min(capMs, Math.max(minimumWindowMs, exponential));
  }

  /** The delay before the next attempt; each call widens the window. */
  next(minimumWindowMs = 0): number {
    const delay = Math.floor(this.options.random() * this.window(minimumWindowMs));
    // Past 2^30 the window is long since capped; stop counting to keep the power finite.
    if (this.attempt < 30) this.attempt += 1;
    return delay;
  }

  /** Back to the first window, once a session has proven healthy. */
  reset(): void {
    this.attempt = 0;
  }
}

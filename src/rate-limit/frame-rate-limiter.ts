/**
 * Counts one session's client frames in one-second windows. A fixed window lets a client
 * send up to twice the limit across a window boundary, which is harmless here: the limit
 * is there to stop floods, not to shape traffic.
 */
export class FrameRateLimiter {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly maxPerSecond: number) {}

  /** Records a frame; false once the session has gone over the limit in this second. */
  allow(now = Date.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    return ++this.count <= this.maxPerSecond;
  }
}

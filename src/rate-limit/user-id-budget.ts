/**
 * Counts the ids of each user's `ack` and `read` frames in one-second windows, all of the
 * user's sessions on this node together. Frame limits are per session, so without it a user
 * with 20 sessions could make the single SQLite writer mark 20 times as many rows a second as
 * one client ever needs (audit finding 9). Like FrameRateLimiter, a fixed window: a burst
 * across its edge may reach twice the budget, which is fine for stopping floods.
 */
export class UserIdBudget {
  private readonly spent = new Map<string, { windowStart: number; ids: number }>();

  constructor(private readonly maxPerSecond: number) {}

  /** Records `ids` ids for the user; false once the user has gone over the budget in this second. */
  take(userId: string, ids: number, now = Date.now()): boolean {
    let window = this.spent.get(userId);
    if (!window || now - window.windowStart >= 1000) this.spent.set(userId, (window = { windowStart: now, ids: 0 }));
    window.ids += ids;
    return window.ids <= this.maxPerSecond;
  }

  /** The user has no session left on this node: nothing to remember. */
  forget(userId: string): void {
    this.spent.delete(userId);
  }

  /** Users with a window open, for tests. */
  get size(): number {
    return this.spent.size;
  }
}

import { readTokenExpiry } from './jwt-expiry';

// Below this, a refresh could not reach the server before it closes the session anyway.
const MIN_REMAINING_MS = 1000;

/** Calls `onDue` ahead of a token's `exp`, so the session can send `refresh` before the server closes it. */
export class TokenRefresher {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly refreshBeforeExpiryMs: number,
    private readonly onDue: () => void,
  ) {}

  /** Plans the refresh of `token`; a token without a readable `exp` is never refreshed ahead. */
  schedule(token: string): void {
    this.cancel();
    const expiresAt = readTokenExpiry(token);
    if (expiresAt === undefined) return;
    const remaining = expiresAt - Date.now();
    if (remaining < MIN_REMAINING_MS) return;
    // Half the remaining life at the latest: a short-lived token still gets refreshed in time.
    const delay = Math.max(remaining - this.refreshBeforeExpiryMs, remaining / 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onDue();
    }, delay);
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

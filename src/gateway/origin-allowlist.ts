/**
 * The browser origins allowed to open a session, compared exactly: `https://app.example.com`
 * does not admit `https://app.example.com.evil.net`, `http://app.example.com` or `null`.
 * A request without an `Origin` header is not from a browser page and is let through: the
 * allowlist protects browsers' ambient credentials, the token protects the rest.
 */
export class OriginAllowlist {
  private readonly origins: ReadonlySet<string> | undefined;

  /** `undefined` allows every origin. */
  constructor(origins: readonly string[] | undefined) {
    // Browsers send the origin in lower case with no trailing slash.
    this.origins = origins && new Set(origins.map((entry) => entry.trim().toLowerCase().replace(/\/$/, '')));
  }

  allows(origin: string | string[] | undefined): boolean {
    if (!this.origins || origin === undefined) return true;
    return typeof origin === 'string' && this.origins.has(origin);
  }
}

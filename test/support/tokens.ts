import { sign, SignOptions } from 'jsonwebtoken';

export const TEST_SECRET = 'test-secret-with-enough-entropy-0123456789';

/** A signed HS256 token for `sub`, valid for an hour unless overridden. */
export function tokenFor(
  userId: string,
  options: { scope?: string; expiresIn?: SignOptions['expiresIn']; secret?: string; claims?: Record<string, unknown> } = {},
): string {
  const claims: Record<string, unknown> = { sub: userId, ...options.claims };
  if (options.scope) claims.scope = options.scope;
  return sign(claims, options.secret ?? TEST_SECRET, { algorithm: 'HS256', expiresIn: options.expiresIn ?? 3600 });
}

export const senderToken = (userId = 'sender') => tokenFor(userId, { scope: 'notifications:send' });

export const adminToken = (userId = 'ops') => tokenFor(userId, { scope: 'notifications:admin' });

/** A token issued `seconds` from now (iat in the future), e.g. to prove it postdates a revocation. */
export const tokenIssuedIn = (userId: string, seconds: number) =>
  tokenFor(userId, { claims: { iat: Math.floor(Date.now() / 1000) + seconds } });

/**
 * An `exp` (whole seconds since the epoch) at least `seconds` from now, and less than one
 * second more. `expiresIn: n` (or `Math.floor(now) + n`) can come out up to a second short,
 * so a token meant to expire soon may expire before the test has even connected with it.
 */
export const expiryIn = (seconds: number) => Math.ceil(Date.now() / 1000) + seconds;

/** A token for `sub` that expires at `exp` (from expiryIn). */
export const tokenExpiringAt = (userId: string, exp: number) => sign({ sub: userId, exp }, TEST_SECRET, { algorithm: 'HS256' });

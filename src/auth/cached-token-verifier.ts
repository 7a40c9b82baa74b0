import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

/** Tokens remembered at most: a backend's few sender tokens stay, user tokens come and go. */
const DEFAULT_MAX_TOKENS = 1000;
/** However long a token lives, it is checked again after this (a JWKS key may have been withdrawn). */
const DEFAULT_MAX_AGE_MS = 60_000;

interface Remembered {
  principal: Principal;
  usableUntil: number;
}

/**
 * Remembers what a verifier said of a token, keyed by the whole token text, so that a backend
 * sending with the same token many times a second pays for one signature check a minute.
 * An entry serves until the token's `exp` (or for a minute at most), never past it; failures
 * are never remembered; the least recently used entry goes first. Revocation is not a
 * verifier's business: BearerAuthGuard and the handshake ask RevocationService on every call.
 */
export class CachedTokenVerifier implements TokenVerifier {
  private readonly remembered = new Map<string, Remembered>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly maxTokens = DEFAULT_MAX_TOKENS,
    private readonly maxAgeMs = DEFAULT_MAX_AGE_MS,
  ) {}

  verify(token: string): Principal | Promise<Principal> {
    const now = Date.now();
    const known = this.remembered.get(token);
    if (known) {
      this.remembered.delete(token);
      if (now < known.usableUntil) {
        this.remembered.set(token, known); // now the most recently used
        return known.principal;
      }
    }
    const verified = this.verifier.verify(token);
    if (verified instanceof Promise) return verified.then((principal) => this.remember(token, principal, now));
    return this.remember(token, verified, now);
  }

  private remember(token: string, principal: Principal, now: number): Principal {
    const usableUntil = Math.min(principal.expiresAt, now + this.maxAgeMs);
    if (usableUntil <= now) return principal;
    this.remembered.set(token, { principal, usableUntil });
    if (this.remembered.size > this.maxTokens) this.remembered.delete(this.remembered.keys().next().value!);
    return principal;
  }
}

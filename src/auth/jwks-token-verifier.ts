import { Logger } from '@nestjs/common';
import { Algorithm } from 'jsonwebtoken';
import { createPublicKey, JsonWebKey } from 'node:crypto';
import { InvalidTokenException } from './invalid-token.exception';
import { JwtKey } from './jwt-key';
import { JwtTokenVerifier, JwtVerifierOptions } from './jwt-token-verifier';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

export interface JwksVerifierOptions extends JwtVerifierOptions {
  /** The identity provider's JWKS endpoint (Keycloak: .../protocol/openid-connect/certs). */
  jwksUri: string;
  /** Refetches of the key set allowed per minute when tokens carry unknown `kid`s (default 10). */
  refreshesPerMinute?: number;
  /** Keys older than this are refetched in the background on the next token (default 10 minutes). */
  maxKeyAgeMs?: number;
  /** Timeout of one JWKS request (default 5 s). */
  requestTimeoutMs?: number;
}

/**
 * Verifies tokens signed by an identity provider (Keycloak, Auth0…) with the keys of its JWKS
 * endpoint. Keys are kept as KeyObjects by `kid`, so a token whose key is known verifies
 * synchronously, as fast as a fixed public key. A token with an unknown `kid` (the provider
 * rotated its keys) triggers one refetch, shared by every token waiting on it and limited per
 * minute so that a flood of made-up `kid`s cannot turn the server into a JWKS hammer.
 */
export class JwksTokenVerifier implements TokenVerifier {
  private readonly logger = new Logger('JwksTokenVerifier');
  private verifiers = new Map<string, JwtTokenVerifier>();
  private fetchedAt = 0;
  private inFlight: Promise<void> | undefined;
  private readonly refreshTimes: number[] = [];

  constructor(private readonly options: JwksVerifierOptions) {
    // A cache of our own rather than jwks-rsa's: its lookups are asynchronous, and a known key
    // must verify synchronously. Node reads JWKs natively (createPublicKey format 'jwk').
  }

  verify(token: string): Principal | Promise<Principal> {
    const kid = keyIdOf(token);
    const known = this.verifiers.get(kid);
    if (known) {
      if (Date.now() - this.fetchedAt > (this.options.maxKeyAgeMs ?? 10 * 60_000)) this.refreshInBackground();
      return known.verify(token);
    }
    return this.verifyAfterRefresh(token, kid);
  }

  /** The key ids currently trusted. */
  get keyIds(): string[] {
    return [...this.verifiers.keys()];
  }

  private async verifyAfterRefresh(token: string, kid: string): Promise<Principal> {
    await this.refresh();
    const verifier = this.verifiers.get(kid);
    if (!verifier) throw new InvalidTokenException(`no signing key "${kid.slice(0, 64)}" at the identity provider`);
    return verifier.verify(token);
  }

  private refreshInBackground(): void {
    this.refresh().catch((error) => this.logger.warn(`Refreshing the JWKS keys failed: ${error}`));
  }

  /** Refetches the key set unless one fetch is under way (then joins it) or the per-minute budget is spent. */
  private refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const now = Date.now();
    while (this.refreshTimes.length > 0 && now - this.refreshTimes[0] > 60_000) this.refreshTimes.shift();
    if (this.refreshTimes.length >= (this.options.refreshesPerMinute ?? 10)) return Promise.resolve();
    this.refreshTimes.push(now);
    this.inFlight = this.fetchKeys().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    let keys: Array<JsonWebKey & { kid?: string; alg?: string; use?: string }>;
    try {
      const response = await fetch(this.options.jwksUri, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error('the answer has no "keys" array');
      keys = body.keys;
    } catch (error) {
      this.logger.warn(`Fetching the JWKS keys from ${this.options.jwksUri} failed: ${error}`);
      throw new InvalidTokenException("the identity provider's signing keys could not be fetched");
    }
    const verifiers = new Map<string, JwtTokenVerifier>();
    for (const jwk of keys) {
      if (typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      const jwtKey = signingKeyOf(jwk);
      if (jwtKey) verifiers.set(jwk.kid, new JwtTokenVerifier(jwtKey, this.options));
    }
    // The new set replaces the old one: a key the provider withdrew stops being trusted.
    this.verifiers = verifiers;
    this.fetchedAt = Date.now();
  }
}

/** The algorithms a JWK may verify: the one it names, within its key type's family. */
const FAMILIES: Record<string, Algorithm[]> = {
  RSA: ['RS256', 'RS384', 'RS512'],
  EC: ['ES256', 'ES384', 'ES512'],
};

function signingKeyOf(jwk: JsonWebKey & { kid?: string; alg?: string }): JwtKey | undefined {
  const family = FAMILIES[jwk.kty ?? ''];
  if (!family) return undefined;
  const algorithms = jwk.alg ? family.filter((algorithm) => algorithm === jwk.alg) : family;
  if (algorithms.length === 0) return undefined;
  try {
    return { key: createPublicKey({ key: jwk, format: 'jwk' }), algorithms };
  } catch (error) {
    new Logger('JwksTokenVerifier').warn(`Skipping the unreadable JWKS key "${jwk.kid}": ${error}`);
    return undefined;
  }
}

/** A compact JWS: three base64url segments (the signature may be empty, and is then refused). */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * The `kid` of the token's header, read from the header alone. Not jsonwebtoken's `decode`:
 * it also parses the payload, and throws a SyntaxError (a 500, logged as an error, for anyone
 * who sends one) when the header says `typ: JWT` and the payload is not JSON. The payload is
 * read once, by the verifier of the key, after the signature is checked.
 */
function keyIdOf(token: string): string {
  const kid = COMPACT_JWS.test(token) ? headerOf(token)?.kid : undefined;
  if (typeof kid !== 'string' || kid === '') {
    throw new InvalidTokenException('a token from the identity provider must name its key (kid)');
  }
  return kid;
}

function headerOf(token: string): Record<string, unknown> | undefined {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined; // not JSON: no kid, refused by the caller
    throw error;
  }
  return typeof header === 'object' && header !== null && !Array.isArray(header) ? (header as Record<string, unknown>) : undefined;
}

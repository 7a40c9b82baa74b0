import { JwtPayload, verify, VerifyOptions } from 'jsonwebtoken';
import { isUserId, USER_ID_RULE } from '../model/user-id';
import { InvalidTokenException } from './invalid-token.exception';
import { JwtKey } from './jwt-key';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

export interface JwtVerifierOptions {
  issuer?: string;
  audience?: string;
  /** Seconds of clock skew tolerated on `exp` and `nbf` (at most 60). */
  clockToleranceSeconds?: number;
  /** When set, tokens need `iat` and are refused once older than this (seconds). */
  maxTokenAgeSeconds?: number;
}

/**
 * Verifies JWTs with jsonwebtoken on a KeyObject (the fast path: a string secret is turned
 * into a key on every call), with `exp` and `sub` required.
 */
export class JwtTokenVerifier implements TokenVerifier {
  private readonly verifyOptions: VerifyOptions & { complete?: false };

  constructor(
    private readonly jwtKey: JwtKey,
    options: JwtVerifierOptions = {},
  ) {
    this.verifyOptions = {
      algorithms: jwtKey.algorithms,
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: Math.min(options.clockToleranceSeconds ?? 30, 60),
      maxAge: options.maxTokenAgeSeconds,
    };
  }

  verify(token: string): Principal {
    let payload: JwtPayload;
    try {
      payload = verify(token, this.jwtKey.key, this.verifyOptions) as JwtPayload;
    } catch (error) {
      throw new InvalidTokenException(error instanceof Error ? error.message : 'unreadable');
    }
    // jsonwebtoken accepts tokens without `exp`; the contract does not.
    if (typeof payload.exp !== 'number') throw new InvalidTokenException('exp is required');
    if (!isUserId(payload.sub)) throw new InvalidTokenException(`sub must be a user id: ${USER_ID_RULE}`);
    const scope = typeof payload.scope === 'string' ? payload.scope : '';
    return {
      userId: payload.sub,
      scopes: new Set(scope.split(' ').filter(Boolean)),
      expiresAt: payload.exp * 1000,
      issuedAt: typeof payload.iat === 'number' ? payload.iat * 1000 : undefined,
      claims: payload,
    };
  }
}

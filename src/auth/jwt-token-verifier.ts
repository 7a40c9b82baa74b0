import { JwtService } from '@nestjs/jwt';
import { JwtPayload } from 'jsonwebtoken';
import { isUserId, USER_ID_RULE } from '../notifications/user-id';
import { InvalidTokenException } from './invalid-token.exception';
import { JwtKey } from './jwt-key';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

export interface JwtVerifierOptions {
  issuer?: string;
  audience?: string;
  /** Seconds of clock skew tolerated on `exp` and `nbf` (at most 60). */
  clockToleranceSeconds?: number;
}

/** Verifies JWTs with @nestjs/jwt on a KeyObject, with `exp` and `sub` required. */
export class JwtTokenVerifier implements TokenVerifier {
  private readonly jwt: JwtService;

  constructor(jwtKey: JwtKey, options: JwtVerifierOptions = {}) {
    this.jwt = new JwtService({
      // @nestjs/jwt types the key as string | Buffer; jsonwebtoken accepts a KeyObject,
      // which is the fast path.
      secret: jwtKey.key as unknown as string,
      verifyOptions: {
        algorithms: jwtKey.algorithms,
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: Math.min(options.clockToleranceSeconds ?? 30, 60),
      },
    });
  }

  verify(token: string): Principal {
    let payload: JwtPayload;
    try {
      payload = this.jwt.verify<JwtPayload>(token);
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

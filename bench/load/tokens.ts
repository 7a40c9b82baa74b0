/** Signs the HS256 tokens the load clients present, the way an identity provider would. */
import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const SEND_SCOPE = 'notifications:send';
export const ADMIN_SCOPE = 'notifications:admin';

export class TokenIssuer {
  private readonly key: KeyObject;

  constructor(
    secret: string,
    /** Claims every token carries besides its own (the tenant claim of --tenancy-preferences). */
    private readonly extraClaims: Record<string, string> = {},
  ) {
    this.key = createSecretKey(Buffer.from(secret));
  }

  /** A user's token: `sub` is the user id, valid for an hour. */
  forUser(userId: string): string {
    return jwt.sign({ ...this.extraClaims, sub: userId }, this.key, { algorithm: 'HS256', expiresIn: 3600 });
  }

  /** A backend's token that may send notifications. */
  forSender(): string {
    return jwt.sign({ ...this.extraClaims, sub: 'bench-sender', scope: SEND_SCOPE }, this.key, { algorithm: 'HS256', expiresIn: 3600 });
  }

  /** An administrator's token (user data, preferences of any user). */
  forAdmin(): string {
    return jwt.sign({ ...this.extraClaims, sub: 'bench-admin', scope: ADMIN_SCOPE }, this.key, { algorithm: 'HS256', expiresIn: 3600 });
  }
}

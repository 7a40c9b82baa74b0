import { NotificationsJwtOptions } from '../notifications.options';
import { JwksTokenVerifier } from './jwks-token-verifier';
import { createJwtKey } from './jwt-key';
import { JwtTokenVerifier } from './jwt-token-verifier';
import { TokenVerifier } from './token-verifier';

/** The module's default verifier for its `jwt` options: a JWKS endpoint, else a fixed key. */
export function createTokenVerifier(options: NotificationsJwtOptions): TokenVerifier {
  if (options.jwksUri) {
    if (options.secret || options.publicKey) throw new Error('jwt.jwksUri replaces jwt.secret and jwt.publicKey: set only one');
    return new JwksTokenVerifier({ ...options, jwksUri: options.jwksUri });
  }
  return new JwtTokenVerifier(createJwtKey(options), options);
}

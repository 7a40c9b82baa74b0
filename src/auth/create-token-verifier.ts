import { NotificationsJwtOptions } from '../config/notifications.options';
import { CachedTokenVerifier } from './cached-token-verifier';
import { JwksTokenVerifier } from './jwks-token-verifier';
import { createJwtKey } from './jwt-key';
import { JwtTokenVerifier } from './jwt-token-verifier';
import { TokenVerifier } from './token-verifier';

/**
 * The module's default verifier for its `jwt` options: a JWKS endpoint, else a fixed key,
 * remembering verified tokens (CachedTokenVerifier). A host's own TokenVerifier is used as given.
 */
export function createTokenVerifier(options: NotificationsJwtOptions): TokenVerifier {
  if (options.jwksUri) {
    if (options.secret || options.publicKey) throw new Error('jwt.jwksUri replaces jwt.secret and jwt.publicKey: set only one');
    return new CachedTokenVerifier(new JwksTokenVerifier({ ...options, jwksUri: options.jwksUri }));
  }
  return new CachedTokenVerifier(new JwtTokenVerifier(createJwtKey(options), options));
}

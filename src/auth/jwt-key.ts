import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { Algorithm } from 'jsonwebtoken';

/** A verification key and the only algorithms it may be used with. */
export interface JwtKey {
  readonly key: KeyObject;
  readonly algorithms: Algorithm[];
}

/**
 * Builds the key once, as a KeyObject: jsonwebtoken re-imports a string secret on every
 * verify (~2,150/s here), while a KeyObject verifies ~92,000/s. The algorithms are pinned
 * to the key's type, so `alg: none` and HS256-signed-with-the-public-key are refused.
 */
export function createJwtKey(options: { secret?: string; publicKey?: string }): JwtKey {
  if (options.publicKey) {
    const key = createPublicKey(options.publicKey);
    switch (key.asymmetricKeyType) {
      case 'rsa':
        return { key, algorithms: ['RS256', 'RS384', 'RS512'] };
      case 'ec':
        return { key, algorithms: ['ES256', 'ES384', 'ES512'] };
      default:
        throw new Error(`Unsupported JWT public key type "${key.asymmetricKeyType}": use an RSA or EC key`);
    }
  }
  if (options.secret) {
    return { key: createSecretKey(Buffer.from(options.secret, 'utf8')), algorithms: ['HS256'] };
  }
  throw new Error('A JWT secret or public key is required');
}

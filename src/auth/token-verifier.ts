import { Principal } from './principal';

/**
 * Turns a bearer token into a Principal, or throws (or rejects with) InvalidTokenException.
 * Replaceable: provide your own under the TokenVerifier token to accept another format.
 * A verifier answers synchronously when it can (a known key) and with a promise only when it
 * must wait (fetching an identity provider's keys), so the handshake path stays fast.
 */
export interface TokenVerifier {
  verify(token: string): Principal | Promise<Principal>;
}

export const TokenVerifier = Symbol('TokenVerifier');

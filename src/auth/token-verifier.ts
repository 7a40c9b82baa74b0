import { Principal } from './principal';

/**
 * Turns a bearer token into a Principal, or throws InvalidTokenException.
 * Replaceable: provide your own under the TokenVerifier token to accept another format.
 */
export interface TokenVerifier {
  verify(token: string): Principal;
}

export const TokenVerifier = Symbol('TokenVerifier');

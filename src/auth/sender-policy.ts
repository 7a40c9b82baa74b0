import { Principal, SCOPE_ADMIN, SCOPE_SEND } from './principal';

/**
 * Who may do what beyond reading their own inbox. Replaceable: provide your own class
 * under the SenderPolicy token (for roles, tenants, service accounts…).
 */
export interface SenderPolicy {
  /** May send notifications and manage any topic's subscribers. */
  canSend(principal: Principal): boolean;
  /** May see presence and revoke a user's sessions. */
  canAdminister(principal: Principal): boolean;
}

export const SenderPolicy = Symbol('SenderPolicy');

/** The contract's default: OAuth-style scopes in the token's `scope` claim. */
export class ScopeSenderPolicy implements SenderPolicy {
  canSend(principal: Principal): boolean {
    return principal.scopes.has(SCOPE_SEND);
  }

  canAdminister(principal: Principal): boolean {
    return principal.scopes.has(SCOPE_ADMIN);
  }
}

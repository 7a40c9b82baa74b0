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
  /**
   * May subscribe `userId` to `topic` (`PUT /topics/:topic/subscribers/:userId`; the path's
   * values, validated afterwards). Optional: without it, the default rule of
   * {@link ScopeSenderPolicy.canSubscribe} applies with this policy's `canSend`.
   */
  canSubscribe?(principal: Principal, topic: string, userId: string): boolean | Promise<boolean>;
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

  /**
   * The contract's rule: a user may subscribe themself to any topic, a sender anyone. Typed as
   * the interface's, so that a subclass may override it with an async rule and call this one.
   */
  canSubscribe(principal: Principal, _topic: string, userId: string): boolean | Promise<boolean> {
    return mayManageSubscription(this, principal, userId);
  }
}

/** Whether the policy lets the caller subscribe `userId` to `topic`: its own rule, else the default. */
export function maySubscribe(policy: SenderPolicy, principal: Principal, topic: string, userId: string): boolean | Promise<boolean> {
  return policy.canSubscribe ? policy.canSubscribe(principal, topic, userId) : mayManageSubscription(policy, principal, userId);
}

/** The default for subscribing, and the rule for unsubscribing: themself, or anyone for a sender. */
export function mayManageSubscription(policy: SenderPolicy, principal: Principal, userId: string): boolean {
  return principal.userId === userId || policy.canSend(principal);
}

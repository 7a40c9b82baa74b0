import { fitsUserIdColumns, isTenantId, qualify, TENANT_ID_RULE, TENANT_USER_ID_RULE } from '../model/tenant-scope';
import { InvalidTokenException } from './invalid-token.exception';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

/** What the verifier needs of the tenants' numbers (TenantDirectory): a tenant's, assigned the first time it is seen. */
export interface TenantNumbers {
  /** The number when already known here, without a query. */
  knownNumber(tenantId: string): number | undefined;
  number(tenantId: string): Promise<number>;
}

/**
 * With tenancy, the principal of any verifier (the module's JWT one or a host's) made
 * tenant-scoped: `tenantId` from the token's tenant claim, and `userId` the key of `sub` in
 * that tenant (`<tenant number>:<sub>`, tenant-scope.ts). Everything inside the module keys by
 * `userId` (inboxes, sessions, Redis, rate limits, revocations, presence), so all of it is per
 * tenant with no change. A token is a sighting of its tenant: a tenant no node has seen is
 * numbered then, once; after that the number comes from memory and the verification stays
 * synchronous. A token without the claim, or with one that is not a tenant id, is refused (401).
 */
export class TenantTokenVerifier implements TokenVerifier {
  /**
   * The scoped principal of each principal the verifier below returned. A caching verifier
   * (the module's own) returns the same principal for the same token, so a sender's token is
   * scoped once, not on every request: the same object and the same key string each time,
   * which every map keyed by user (sessions, rate limits, revocations) has already hashed.
   */
  private readonly scopedOf = new WeakMap<Principal, Principal>();

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly claim: string,
    private readonly tenants: TenantNumbers,
  ) {}

  verify(token: string): Principal | Promise<Principal> {
    const verified = this.verifier.verify(token);
    return verified instanceof Promise ? verified.then((principal) => this.scoped(principal)) : this.scoped(verified);
  }

  private scoped(principal: Principal): Principal | Promise<Principal> {
    const known = this.scopedOf.get(principal);
    if (known) return known;
    const tenantId = principal.claims[this.claim];
    if (!isTenantId(tenantId)) throw new InvalidTokenException(`the ${this.claim} claim must be ${TENANT_ID_RULE}`);
    if (!fitsUserIdColumns(tenantId, principal.userId)) {
      throw new InvalidTokenException(`sub is too long for its tenant: ${TENANT_USER_ID_RULE}`);
    }
    const keyed = (tenantNumber: number): Principal => {
      const scoped = { ...principal, tenantId, userId: qualify(tenantNumber, principal.userId) };
      this.scopedOf.set(principal, scoped);
      return scoped;
    };
    const knownNumber = this.tenants.knownNumber(tenantId);
    return knownNumber === undefined ? this.tenants.number(tenantId).then(keyed) : keyed(knownNumber);
  }
}

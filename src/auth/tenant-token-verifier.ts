import { fitsUserIdColumns, isTenantId, qualify, TENANT_ID_RULE } from '../model/tenant-scope';
import { InvalidTokenException } from './invalid-token.exception';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

/**
 * With tenancy, the principal of any verifier (the module's JWT one or a host's) made
 * tenant-scoped: `tenantId` from the token's tenant claim, and `userId` the tenant-qualified
 * key (tenant-scope.ts). Everything inside the module keys by `userId` (inboxes, sessions,
 * Redis, rate limits, revocations, presence), so all of it is per tenant with no change.
 * A token without the claim, or with one that is not a tenant id, is refused (401).
 */
export class TenantTokenVerifier implements TokenVerifier {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly claim: string,
  ) {}

  verify(token: string): Principal | Promise<Principal> {
    const verified = this.verifier.verify(token);
    return verified instanceof Promise ? verified.then((principal) => this.scoped(principal)) : this.scoped(verified);
  }

  private scoped(principal: Principal): Principal {
    const tenantId = principal.claims[this.claim];
    if (!isTenantId(tenantId)) throw new InvalidTokenException(`the ${this.claim} claim must be ${TENANT_ID_RULE}`);
    if (!fitsUserIdColumns(tenantId, principal.userId)) {
      throw new InvalidTokenException('sub is too long for its tenant: tenant id and sub together take at most 250 characters');
    }
    return { ...principal, tenantId, userId: qualify(tenantId, principal.userId) };
  }
}

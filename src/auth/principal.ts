import { idWithin, qualify, unqualify } from '../model/tenant-scope';

/** Who is calling: the verified claims of a token, reduced to what the module needs. */
export interface Principal {
  /**
   * The token's `sub`: the user id. With tenancy, its key in the tenant (`<tenant number>:<sub>`,
   * see tenantId), which every part of the module keys by.
   */
  readonly userId: string;
  /** With tenancy (option `tenancy.claim`), the token's tenant; undefined without. */
  readonly tenantId?: string;
  /** The `scope` claim, split on spaces (OAuth 2.0 style). */
  readonly scopes: ReadonlySet<string>;
  /** `exp` in milliseconds since the epoch. */
  readonly expiresAt: number;
  /** `iat` in milliseconds since the epoch, when the token carries it. */
  readonly issuedAt: number | undefined;
  /** Every claim, for host rules that look further (roles, tenant…). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * The principal's user id as its tenant names it (the token's `sub`): what NotificationsService
 * takes, with `{ tenantId: principal.tenantId }`, from the controllers as from host code.
 */
export function ownUserId(principal: Principal): string {
  return idWithin(principal.tenantId, principal.userId);
}

/**
 * The key of another id of the principal's tenant (a route's user, a page cursor): the id
 * itself without tenancy, else prefixed with the number the principal's own key carries.
 */
export function keyInTenantOf(principal: Principal, id: string): string {
  return principal.tenantId === undefined ? id : qualify(unqualify(principal.userId).tenantNumber, id);
}

export const SCOPE_SEND = 'notifications:send';
export const SCOPE_ADMIN = 'notifications:admin';

import { isUserId, USER_ID_MAX_LENGTH, USER_ID_RULE } from './user-id';
import { InvalidNotificationException } from './invalid-notification.exception';

/** The longest tenant id a token's tenant claim (or host code) may name. */
export const TENANT_ID_MAX_LENGTH = 100;

/** What a tenant id is, in the words of every refusal. */
export const TENANT_ID_RULE = `a non-empty string of at most ${TENANT_ID_MAX_LENGTH} characters, without U+0000`;

/** The widest tenant number: the `integer` column's largest, 10 digits. */
export const TENANT_NUMBER_MAX = 2_147_483_647;

/**
 * The longest user id in a tenant: its key's prefix (the tenant's number and `:`, at most 11
 * characters) and the id share the 255-character user-id columns. The same for every tenant,
 * whatever its id or number.
 */
export const TENANT_USER_ID_MAX_LENGTH = USER_ID_MAX_LENGTH - String(TENANT_NUMBER_MAX).length - 1;

/** What a user id in a tenant may be beyond USER_ID_RULE, in the words of every refusal. */
export const TENANT_USER_ID_RULE = `in a tenant, a user id takes at most ${TENANT_USER_ID_MAX_LENGTH} characters`;

/**
 * The number a read uses for a tenant that has none yet (no node has stored anything for it):
 * numbers start at 1, so no stored key carries it, and the read finds nothing (the answers of a
 * user who has nothing) without numbering the tenant.
 */
export const UNNUMBERED_TENANT = 0;

/**
 * Whether a value can be a tenant id: a non-empty string of at most 100 characters that a
 * database stores as it is (the rule of user ids, shorter).
 */
export function isTenantId(value: unknown): value is string {
  return isUserId(value) && value.length <= TENANT_ID_MAX_LENGTH;
}

/**
 * The key the module stores and looks up an identifier by (a user id, a topic name, the
 * sender of an Idempotency-Key): the plain id without a tenant, byte for byte as before
 * tenancy existed; in a tenant, `<tenant number>:<id>` (the tenant's number in the
 * `notification_tenants` table, TenantDirectory). The number is digits only, so it ends at the
 * key's first `:` whatever the id contains, and two different (tenant, id) pairs never give
 * one key. With tenancy on, every key has a tenant (host code names one: see TenantScope), so
 * no plain id ever shares the key space of a tenant's keys.
 */
export function qualify(tenantNumber: number | undefined, id: string): string {
  return tenantNumber === undefined ? id : `${tenantNumber}:${id}`;
}

/**
 * A key of a tenant taken apart into its tenant's number and its id. With tenancy every key
 * has both; a key that does not start with a number and `:` is a plain id (no tenant).
 */
export function unqualify(key: string): { tenantNumber: number | undefined; id: string } {
  const colon = key.indexOf(':');
  if (colon < 1 || colon > String(TENANT_NUMBER_MAX).length) return { tenantNumber: undefined, id: key };
  const digits = key.slice(0, colon);
  if (!/^(0|[1-9]\d*)$/.test(digits)) return { tenantNumber: undefined, id: key };
  return { tenantNumber: Number(digits), id: key.slice(colon + 1) };
}

/** The id of a key known to be of this tenant (the caller's own): the key without its number. */
export function idWithin(tenantId: string | undefined, key: string): string {
  return tenantId ? unqualify(key).id : key;
}

/**
 * Whether a user id still fits the 255-character columns once keyed: in a tenant, a user id
 * has room for the longest prefix left (TENANT_USER_ID_MAX_LENGTH, 244 characters).
 */
export function fitsUserIdColumns(tenantId: string | undefined, userId: string): boolean {
  return !tenantId || userId.length <= TENANT_USER_ID_MAX_LENGTH;
}

/**
 * The tenant of a host call (the last argument of the methods of NotificationsService,
 * TopicSubscriptions and PreferencesService): required with tenancy (module option `tenancy`),
 * refused without. The ids the call names are then that tenant's own.
 */
export interface TenantOptions {
  tenantId?: string;
}

/**
 * The deployment's tenancy, resolved once (ResolvedOptions.tenants): off, every key is a plain
 * id; on, every key is qualified with a tenant's number, which tokens carry in `claim` (as the
 * tenant id) and host code names in its calls. Turning a tenant id into its number takes the
 * database: TenantKeys (notifications/) does it, at the edges.
 */
export class TenantScope {
  constructor(
    /** The JWT claim of the tenant id; undefined: one tenant. */
    readonly claim: string | undefined,
  ) {}

  get enabled(): boolean {
    return this.claim !== undefined;
  }

  /**
   * The tenant a host call names, checked against the mode: with tenancy every call names
   * one (a key without a tenant would share no tenant's world, or worse, look like one of
   * theirs); without, none may (its keys would be reachable as plain ids).
   */
  tenantOf(call: { tenantId?: string | null }): string | undefined {
    const tenantId = call.tenantId ?? undefined;
    if (!this.enabled) {
      if (tenantId !== undefined) throw new InvalidNotificationException('tenantId is given, but tenancy is not configured');
      return undefined;
    }
    if (!isTenantId(tenantId)) throw new InvalidNotificationException(`tenantId must be ${TENANT_ID_RULE} (tenancy is on)`);
    return tenantId;
  }

  /** A user id a host call names in `tenantId`, checked: InvalidNotificationException naming `field`. */
  checkUserId(userId: unknown, tenantId: string | undefined, field = 'userId'): asserts userId is string {
    if (!isUserId(userId)) throw new InvalidNotificationException(`${field} must be ${USER_ID_RULE}`);
    if (!fitsUserIdColumns(tenantId, userId)) {
      throw new InvalidNotificationException(`${field} is too long for its tenant: ${TENANT_USER_ID_RULE}`);
    }
  }

  /** The plain id of a stored key, for what leaves the module. */
  idOfKey(key: string): string {
    return this.enabled ? unqualify(key).id : key;
  }
}

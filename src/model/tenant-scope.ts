import { isUserId, USER_ID_MAX_LENGTH, USER_ID_RULE } from './user-id';
import { InvalidNotificationException } from './invalid-notification.exception';

/** The longest tenant id a token's tenant claim (or host code) may name. */
export const TENANT_ID_MAX_LENGTH = 100;

/** What a tenant id is, in the words of every refusal. */
export const TENANT_ID_RULE = `a non-empty string of at most ${TENANT_ID_MAX_LENGTH} characters, without U+0000`;

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
 * tenancy existed; in a tenant, `<tenant length>:<tenant>:<id>`. The length prefix makes the
 * encoding unambiguous whatever the tenant and the id contain (`:` included): the tenant
 * ends where its length says, so two different (tenant, id) pairs never give one key.
 * With tenancy on, every key has a tenant (host code names one: see TenantScope), so no
 * plain id ever shares the key space of a tenant's keys.
 */
export function qualify(tenantId: string | undefined, id: string): string {
  return tenantId ? `${tenantId.length}:${tenantId}:${id}` : id;
}

/** A key taken apart into its tenant and id; a key without the prefix is a plain id (no tenant). */
export function unqualify(key: string): { tenantId: string | undefined; id: string } {
  const colon = key.indexOf(':');
  // Up to three digits: a tenant id has at most 100 characters.
  if (colon < 1 || colon > 3) return { tenantId: undefined, id: key };
  const digits = key.slice(0, colon);
  if (!/^[1-9]\d*$/.test(digits)) return { tenantId: undefined, id: key };
  const tenantEnd = colon + 1 + Number(digits);
  if (key.length <= tenantEnd || key[tenantEnd] !== ':') return { tenantId: undefined, id: key };
  return { tenantId: key.slice(colon + 1, tenantEnd), id: key.slice(tenantEnd + 1) };
}

/** The id of a key known to belong to this tenant (the caller's own): the key without its prefix. */
export function idWithin(tenantId: string | undefined, key: string): string {
  return tenantId ? key.slice(qualify(tenantId, '').length) : key;
}

/**
 * Whether a user id still fits the 255-character columns once qualified: in a tenant, a user
 * id has that much less room (at most 150 characters with the longest tenant id).
 */
export function fitsUserIdColumns(tenantId: string | undefined, userId: string): boolean {
  return qualify(tenantId, userId).length <= USER_ID_MAX_LENGTH;
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
 * id; on, every key is qualified with a tenant, which tokens carry in `claim` and host code
 * names in its calls.
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

  /**
   * A user id a host call names, as the module keys it: checked (InvalidNotificationException
   * naming `field`), then qualified with the call's tenant (tenantOf).
   */
  userKey(userId: unknown, call: TenantOptions, field = 'userId'): string {
    const tenantId = this.tenantOf(call);
    if (!isUserId(userId)) throw new InvalidNotificationException(`${field} must be ${USER_ID_RULE}`);
    if (!fitsUserIdColumns(tenantId, userId)) {
      throw new InvalidNotificationException(`${field} is too long for its tenant: tenant id and user id take at most 250 characters`);
    }
    return qualify(tenantId, userId);
  }

  /** The tenant a stored key belongs to: '' for every key without tenancy (the tenant column's default). */
  tenantOfKey(key: string): string {
    return this.enabled ? (unqualify(key).tenantId ?? '') : '';
  }

  /** The plain id of a stored key, for what leaves the module. */
  idOfKey(key: string): string {
    return this.enabled ? unqualify(key).id : key;
  }
}

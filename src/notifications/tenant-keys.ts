import { Injectable } from '@nestjs/common';
import { ResolvedOptions } from '../config/resolved-options';
import { qualify, TenantOptions, TenantScope, unqualify, UNNUMBERED_TENANT } from '../model/tenant-scope';
import { TenantDirectory } from '../persistence/tenant-directory';

/** What a call does with its tenant's keys: stores something new under them, or only reads and changes what is stored. */
export type KeyUse = 'write' | 'read';

/**
 * Tenant ids turned into the numbers that prefix stored keys, and back, where calls enter and
 * leave the module (docs/tenants.md): host calls that name `{ tenantId }`, events for host
 * code, broadcasts read by their tenant column. Without tenancy nothing is looked up and every
 * key is the plain id. With it, a tenant's number is a query the first time this node meets the
 * tenant, then a map lookup (TenantDirectory): a send or a delivery makes no query for it.
 *
 * A call that stores something (`write`) numbers a tenant never seen; one that only reads or
 * changes what is stored (`read`) never writes: a tenant never seen gets UNNUMBERED_TENANT,
 * whose keys find nothing.
 */
@Injectable()
export class TenantKeys {
  readonly scope: TenantScope;

  constructor(
    options: ResolvedOptions,
    private readonly directory: TenantDirectory,
  ) {
    this.scope = options.tenants;
  }

  get enabled(): boolean {
    return this.scope.enabled;
  }

  /**
   * The number of a tenant a call names (checked with TenantScope.tenantOf first), undefined
   * without tenancy: what `qualify` takes. Ask it after checking the call's ids, so that a
   * refused call reads nothing. Synchronous when this node knows the tenant, so that a call
   * keyed at once (an ack, say) takes its turn at once, as it did before tenants had numbers.
   */
  numberOf(tenantId: string | undefined, use: KeyUse): number | undefined | Promise<number | undefined> {
    if (tenantId === undefined) return undefined;
    const known = this.directory.knownNumber(tenantId);
    if (known !== undefined) return known;
    if (use === 'write') return this.directory.number(tenantId);
    return this.directory.find(tenantId).then((found) => found ?? UNNUMBERED_TENANT);
  }

  /**
   * A user id a host call names: the tenant and the id checked (InvalidNotificationException
   * naming `field`, thrown at once), then keyed; synchronous as numberOf is.
   */
  userKey(userId: string, call: TenantOptions, use: KeyUse, field = 'userId'): string | Promise<string> {
    const tenantId = this.scope.tenantOf(call);
    this.scope.checkUserId(userId, tenantId, field);
    const tenantNumber = this.numberOf(tenantId, use);
    return tenantNumber instanceof Promise ? tenantNumber.then((found) => qualify(found, userId)) : qualify(tenantNumber, userId);
  }

  /**
   * The tenant id a stored key is of: '' without tenancy (the tenant column's default, every
   * notification's); undefined for a key of no tenant (UNNUMBERED_TENANT's, or a plain id).
   * Synchronous when this node knows the tenant, as it does for every user it holds a session
   * of and every tenant it sent for.
   */
  tenantIdOfKey(key: string): string | undefined | Promise<string | undefined> {
    if (!this.enabled) return '';
    const { tenantNumber } = unqualify(key);
    if (tenantNumber === undefined || tenantNumber === UNNUMBERED_TENANT) return undefined;
    return this.directory.knownTenantId(tenantNumber) ?? this.directory.tenantIdOf(tenantNumber);
  }

  /** The plain id of a stored key, for what leaves the module. */
  idOfKey(key: string): string {
    return this.scope.idOfKey(key);
  }
}

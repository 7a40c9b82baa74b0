import { Injectable } from '@nestjs/common';
import { TenantsStore } from './tenants.store';
import { UnitOfWork } from './unit-of-work';

/**
 * Tenant ids and their numbers (the `notification_tenants` table), both ways, cached: a
 * tenant's number never changes, so once this node has looked it up no query is made for it
 * again. A tenant is numbered the first time anything is stored for it (`number`), on
 * whichever node; looking one up (`find`) never writes. The cache holds every tenant this node
 * has met, a few dozen bytes each.
 */
@Injectable()
export class TenantDirectory {
  private readonly store = new TenantsStore();
  private readonly numbers = new Map<string, number>();
  private readonly tenantIds = new Map<number, string>();
  /** Numberings under way on this node, so that a burst of first calls makes one. */
  private readonly numbering = new Map<string, Promise<number>>();

  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** The tenant's number if this node already knows it: no query. */
  knownNumber(tenantId: string): number | undefined {
    return this.numbers.get(tenantId);
  }

  /** The tenant id of a number if this node already knows it: no query. */
  knownTenantId(tenantNumber: number): string | undefined {
    return this.tenantIds.get(tenantNumber);
  }

  /**
   * The tenant's number, assigned now if no node has numbered it yet. Call it outside any unit
   * of work (on SQLite, a unit waiting for another unit would wait forever).
   */
  number(tenantId: string): Promise<number> {
    const known = this.numbers.get(tenantId);
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.numbering.get(tenantId);
    if (!pending) {
      pending = this.numberNew(tenantId).finally(() => this.numbering.delete(tenantId));
      this.numbering.set(tenantId, pending);
    }
    return pending;
  }

  /** The tenant's number, or undefined for a tenant no node has numbered: a read, never a write. */
  async find(tenantId: string): Promise<number | undefined> {
    const found = this.numbers.get(tenantId) ?? (await this.unitOfWork.read((manager) => this.store.numberOf(manager, tenantId)));
    if (found !== undefined) this.remember(tenantId, found);
    return found;
  }

  /** The tenant id of a number; undefined when no tenant has it. */
  async tenantIdOf(tenantNumber: number): Promise<string | undefined> {
    const found =
      this.tenantIds.get(tenantNumber) ?? (await this.unitOfWork.read((manager) => this.store.tenantIdOf(manager, tenantNumber)));
    if (found !== undefined) this.remember(found, tenantNumber);
    return found;
  }

  private async numberNew(tenantId: string): Promise<number> {
    // Most first sightings on a node are of a tenant another node numbered: a read settles them.
    const found = await this.find(tenantId);
    if (found !== undefined) return found;
    const assigned = await this.unitOfWork.write(async (manager) => {
      await this.store.insert(manager, tenantId);
      return this.store.numberOf(manager, tenantId);
    });
    if (assigned === undefined) throw new Error(`Tenant "${tenantId.slice(0, 100)}" could not be numbered`);
    this.remember(tenantId, assigned);
    return assigned;
  }

  private remember(tenantId: string, tenantNumber: number): void {
    this.numbers.set(tenantId, tenantNumber);
    this.tenantIds.set(tenantNumber, tenantId);
  }
}

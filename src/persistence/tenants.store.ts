import { EntityManager } from 'typeorm';
import { runSql } from './sql';

/** The SQL of the tenants table: one number per tenant id, assigned once (TenantDirectory caches it). */
export class TenantsStore {
  async numberOf(manager: EntityManager, tenantId: string): Promise<number | undefined> {
    const { rows } = await runSql(manager, `SELECT number FROM notification_tenants WHERE tenant_id = ?`, [tenantId]);
    return rows.length > 0 ? Number(rows[0].number) : undefined;
  }

  async tenantIdOf(manager: EntityManager, tenantNumber: number): Promise<string | undefined> {
    const { rows } = await runSql(manager, `SELECT tenant_id AS "tenantId" FROM notification_tenants WHERE number = ?`, [tenantNumber]);
    return rows.length > 0 ? (rows[0].tenantId as string) : undefined;
  }

  /**
   * Numbers the tenant unless it has a number already. Two nodes numbering one tenant at once
   * both end with the first one's row: the second insert waits on the unique index, then does
   * nothing, and the read that follows it (a statement of its own) sees the committed row.
   */
  async insert(manager: EntityManager, tenantId: string): Promise<void> {
    await runSql(manager, `INSERT INTO notification_tenants (tenant_id) VALUES (?) ON CONFLICT (tenant_id) DO NOTHING`, [tenantId]);
  }
}

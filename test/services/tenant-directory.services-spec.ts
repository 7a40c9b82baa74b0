import { DataSource } from 'typeorm';
import { TenantDirectory } from '../../src/persistence/tenant-directory';
import { UnitOfWork } from '../../src/persistence/unit-of-work';
import { createDatabase, migratedDataSource } from './support/services';

/**
 * Two nodes (two connection pools, each with its directory) meet the same new tenants at the
 * same moment on PostgreSQL: every tenant gets one number, and both nodes agree on it.
 */
describe('TenantDirectory on PostgreSQL, two nodes', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let sources: DataSource[];

  beforeAll(async () => {
    database = await createDatabase();
    sources = [await migratedDataSource(database.url), await migratedDataSource(database.url)];
  });
  afterAll(async () => {
    await Promise.all(sources.map((source) => source.destroy()));
    await database.drop();
  });

  it('numbers each tenant first seen on both at once once, with the same number on both sides', async () => {
    const [nodeA, nodeB] = sources.map((source) => new TenantDirectory(new UnitOfWork(source)));
    const tenants = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? `tenant-${index}` : `${index}:${index}`));
    const [onA, onB] = await Promise.all([
      Promise.all(tenants.map((tenant) => nodeA.number(tenant))),
      Promise.all([...tenants].reverse().map((tenant) => nodeB.number(tenant))),
    ]);
    expect(onA).toEqual(onB.reverse());
    expect(new Set(onA).size).toBe(tenants.length);
    const rows = await database.query('SELECT number, tenant_id AS "tenantId" FROM notification_tenants');
    expect(rows).toHaveLength(tenants.length);
    for (const { number, tenantId } of rows) expect(onA[tenants.indexOf(tenantId)]).toBe(number);
  });
});

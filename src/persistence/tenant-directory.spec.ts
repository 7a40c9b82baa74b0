import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { TenantDirectory } from './tenant-directory';
import { UnitOfWork } from './unit-of-work';

/** Counts the statements sent, to show what the cache saves. */
class StatementCounter extends AbstractLogger {
  statements: string[] = [];

  logQuery(query: string): void {
    if (/notification_tenants/.test(query)) this.statements.push(query);
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {}
}

describe(TenantDirectory.name, () => {
  const counter = new StatementCounter();
  let database: DataSource;
  /** Two nodes' directories on one database (each has its own cache). */
  let nodeA: TenantDirectory;
  let nodeB: TenantDirectory;

  beforeEach(async () => {
    database = await migratedSqliteDatabase({ logger: counter, logging: ['query'] });
    const unitOfWork = new UnitOfWork(database);
    nodeA = new TenantDirectory(unitOfWork);
    nodeB = new TenantDirectory(unitOfWork);
    counter.statements = [];
  });
  afterEach(() => database.destroy());

  const rows = () => database.query('SELECT number, tenant_id AS "tenantId" FROM notification_tenants ORDER BY number');

  it('numbers a tenant once, whoever sees it first, and both sides get the same number', async () => {
    const [a, b, again] = await Promise.all([nodeA.number('acme'), nodeB.number('acme'), nodeA.number('acme')]);
    expect([a, b, again]).toEqual([1, 1, 1]);
    const [globexOnB, globexOnA] = await Promise.all([nodeB.number('globex'), nodeA.number('globex')]);
    expect(globexOnA).toBe(globexOnB);
    // A losing insert may use up a number (a gap): numbers are only ever compared, never counted.
    expect(await rows()).toEqual([
      { number: 1, tenantId: 'acme' },
      { number: globexOnA, tenantId: 'globex' },
    ]);
  });

  it('asks the database once per tenant, then answers from its cache', async () => {
    await nodeA.number('acme');
    const sent = counter.statements.length;
    expect(await nodeA.number('acme')).toBe(1);
    expect(await nodeA.find('acme')).toBe(1);
    expect(await nodeA.tenantIdOf(1)).toBe('acme');
    expect([nodeA.knownNumber('acme'), nodeA.knownTenantId(1)]).toEqual([1, 'acme']);
    expect(counter.statements.length).toBe(sent);
    // The other node learns it from the table, in both directions.
    expect(await nodeB.tenantIdOf(1)).toBe('acme');
    expect(nodeB.knownNumber('acme')).toBe(1);
  });

  it('finds nothing for a tenant never seen, and writes nothing', async () => {
    expect(await nodeA.find('initech')).toBeUndefined();
    expect(await nodeA.tenantIdOf(7)).toBeUndefined();
    expect(await rows()).toEqual([]);
    expect(counter.statements.filter((statement) => /^\s*INSERT/i.test(statement))).toEqual([]);
  });

  it('takes any tenant id as it is: one that looks like a number, or holds ":"', async () => {
    const tenants = ['42', '1', 'a:b', ':', '7:acme:', 'acme'];
    const numbers = [];
    for (const tenantId of tenants) numbers.push(await nodeA.number(tenantId));
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [index, tenantId] of tenants.entries()) expect(await nodeB.tenantIdOf(index + 1)).toBe(tenantId);
  });
});

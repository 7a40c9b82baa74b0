import {
  EXPECTED_TABLES,
  KEPT_ROWS,
  keysAcrossTenantNumbers,
  keysEverywhere,
  MIGRATION_NAMES,
  migrateUpAndDown,
  NUMBERED_TENANTS,
  OLD_AND_NUMBERED_KEYS,
  ROWS_CHECKED_FROM,
  rowsAcrossMigrations,
} from '../support/migrations-check';
import { createDatabase } from './support/services';

// The same migrations run on SQLite in test/migrations.e2e-spec.ts.
describe('Migrations on PostgreSQL', () => {
  it('create the schema the entities describe (cursor widened to bigint), and undo it', async () => {
    const database = await createDatabase();
    try {
      const result = await migrateUpAndDown({ type: 'postgres', url: database.url });
      expect(result.applied).toEqual(MIGRATION_NAMES);
      expect(result.tablesAfterUp).toEqual(EXPECTED_TABLES);
      expect(result.remainingChanges).toEqual([]);
      expect(result.tablesAfterDown).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('keep the stored notifications and inboxes across the newest migrations', async () => {
    const database = await createDatabase();
    try {
      const result = await rowsAcrossMigrations({ type: 'postgres', url: database.url });
      expect(result.applied).toEqual(MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(ROWS_CHECKED_FROM)));
      expect(result).toMatchObject(KEPT_ROWS);
    } finally {
      await database.drop();
    }
  });

  it('number the tenants of a database that ran with tenancy, and convert every key of the old form', async () => {
    const database = await createDatabase();
    try {
      const old = OLD_AND_NUMBERED_KEYS.map(([key]) => key);
      const result = await keysAcrossTenantNumbers({ type: 'postgres', url: database.url }, old, 'acme', 'zeta');
      expect(result.before).toEqual({ ...keysEverywhere(old, 'zeta'), tenants: [] });
      expect(result.after).toEqual({
        ...keysEverywhere(
          OLD_AND_NUMBERED_KEYS.map(([, numbered]) => numbered),
          'zeta',
        ),
        tenants: NUMBERED_TENANTS,
      });
      expect(result.undone).toEqual(result.before);
    } finally {
      await database.drop();
    }
  });

  it('leave a database that never ran with tenancy as it is, ids that look like keys included', async () => {
    const database = await createDatabase();
    try {
      const plain = OLD_AND_NUMBERED_KEYS.map(([key]) => key);
      const result = await keysAcrossTenantNumbers({ type: 'postgres', url: database.url }, plain, '', '');
      expect(result.after).toEqual(result.before);
      expect(result.undone).toEqual(result.before);
    } finally {
      await database.drop();
    }
  });
});

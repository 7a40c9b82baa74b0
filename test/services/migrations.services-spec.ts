import { DataSourceOptions } from 'typeorm';
import {
  EXPECTED_TABLES,
  expectKeysLeftAlone,
  expectKeysNumbered,
  KEPT_ROWS,
  MIGRATION_NAMES,
  migrateUpAndDown,
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

  it('number the tenants of a database that ran with tenancy, and convert every key of the old form', () => onDatabase(expectKeysNumbered));

  it('leave a database that never ran with tenancy as it is, ids that look like keys included', () => onDatabase(expectKeysLeftAlone));
});

/** A check on a fresh database of its own, dropped afterwards. */
async function onDatabase(check: (options: DataSourceOptions) => Promise<void>): Promise<void> {
  const database = await createDatabase();
  try {
    await check({ type: 'postgres', url: database.url });
  } finally {
    await database.drop();
  }
}

import { join } from 'node:path';
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
} from './support/migrations-check';
import { temporaryDirectory } from './support/test-server';

// The same migrations run on PostgreSQL in test/services/migrations.services-spec.ts.
describe('Migrations on SQLite', () => {
  it('create the schema the entities describe, and undo it', async () => {
    const directory = temporaryDirectory();
    try {
      const result = await migrateUpAndDown({ type: 'better-sqlite3', database: join(directory.path, 'm.sqlite') });
      expect(result.applied).toEqual(MIGRATION_NAMES);
      expect(result.tablesAfterUp).toEqual(EXPECTED_TABLES);
      // The entities declare the cursor and the outbox and attempt ids bigint (what PostgreSQL
      // gets). TypeORM's SQLite driver cannot read a bigint autoincrement key back, so it
      // proposes to rebuild those tables with the very column they already have; nothing else differs.
      const rebuilt = result.remainingChanges.filter(
        (query) => !/notification_recipients|notification_outbox|notification_channel_attempts/.test(query),
      );
      expect(rebuilt).toEqual([]);
      if (result.remainingChanges.length > 0) {
        expect(result.remainingChanges.join('\n')).toContain('"cursor" integer PRIMARY KEY AUTOINCREMENT NOT NULL');
      }
      expect(result.tablesAfterDown).toEqual([]);
    } finally {
      directory.remove();
    }
  });

  it('keep the stored notifications and inboxes across the newest migrations', async () => {
    const directory = temporaryDirectory();
    try {
      const result = await rowsAcrossMigrations({ type: 'better-sqlite3', database: join(directory.path, 'm.sqlite') });
      expect(result.applied).toEqual(MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf(ROWS_CHECKED_FROM)));
      expect(result).toMatchObject(KEPT_ROWS);
    } finally {
      directory.remove();
    }
  });

  it('number the tenants of a database that ran with tenancy, and convert every key of the old form', () =>
    onSqliteFile(expectKeysNumbered));

  it('leave a database that never ran with tenancy as it is, ids that look like keys included', () => onSqliteFile(expectKeysLeftAlone));
});

/** A check on a SQLite file of its own, removed afterwards. */
async function onSqliteFile(check: (options: DataSourceOptions) => Promise<void>): Promise<void> {
  const directory = temporaryDirectory();
  try {
    await check({ type: 'better-sqlite3', database: join(directory.path, 'm.sqlite') });
  } finally {
    directory.remove();
  }
}

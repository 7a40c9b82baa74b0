import { DataSource } from 'typeorm';
import type { BetterSqlite3ConnectionOptions } from 'typeorm/driver/better-sqlite3/BetterSqlite3ConnectionOptions';
import { NOTIFICATIONS_MIGRATIONS } from '../../src/persistence/migrations';
import { NOTIFICATIONS_ENTITIES } from '../../src/persistence/entities';

/** An in-memory SQLite database with the module's schema, migrated: for specs of the stores. */
export async function migratedSqliteDatabase(options: Partial<BetterSqlite3ConnectionOptions> = {}): Promise<DataSource> {
  const database = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: NOTIFICATIONS_ENTITIES,
    migrations: NOTIFICATIONS_MIGRATIONS,
    ...options,
  });
  await database.initialize();
  await database.runMigrations();
  return database;
}

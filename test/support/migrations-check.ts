import { DataSource, DataSourceOptions } from 'typeorm';
import { NOTIFICATIONS_MIGRATIONS } from '../../src/migrations';
import { NOTIFICATIONS_ENTITIES } from '../../src/notifications/entities';

const TABLES = [
  'notifications',
  'notification_recipients',
  'notification_idempotency_keys',
  'notification_revocations',
  'notification_topic_subscriptions',
];

/** Every migration of the module, by name, oldest first. */
export const MIGRATION_NAMES = NOTIFICATIONS_MIGRATIONS.map((migration) => migration.name);

/**
 * Runs the module's migrations up on an empty database, reports what TypeORM would still
 * change to match the entities, then runs them down: the same checks on every engine.
 */
export async function migrateUpAndDown(options: DataSourceOptions) {
  const dataSource = new DataSource({
    ...options,
    entities: NOTIFICATIONS_ENTITIES,
    migrations: NOTIFICATIONS_MIGRATIONS,
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    const applied = (await dataSource.runMigrations()).map((migration) => migration.name);
    const tablesAfterUp = await existingTables(dataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    const remainingChanges = pending.upQueries.map((query) => query.query);
    for (const _ of applied) await dataSource.undoLastMigration();
    const tablesAfterDown = await existingTables(dataSource);
    return { applied, tablesAfterUp, remainingChanges, tablesAfterDown };
  } finally {
    await dataSource.destroy();
  }
}

async function existingTables(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const present: string[] = [];
    for (const table of TABLES) if (await runner.hasTable(table)) present.push(table);
    return present;
  } finally {
    await runner.release();
  }
}

export const EXPECTED_TABLES = TABLES;

import { DataSource, DataSourceOptions } from 'typeorm';
import { NOTIFICATIONS_MIGRATIONS } from '../../src/persistence/migrations';
import { NOTIFICATIONS_ENTITIES } from '../../src/persistence/entities';

const TABLES = [
  'notifications',
  'notification_recipients',
  'notification_idempotency_keys',
  'notification_revocations',
  'notification_topic_subscriptions',
  'notification_preferences',
  'notification_in_app_rules',
  'notification_outbox',
  'notification_channel_attempts',
  'notification_push_subscriptions',
  'notification_user_contacts',
  'notification_webhook_events',
  'notification_snoozes',
  'notification_tenants',
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

/** The migration the stored rows of rowsAcrossMigrations() are checked across, with every later one. */
export const ROWS_CHECKED_FROM = 'InboxFiltersByRow1766000000000';

/**
 * Runs every migration before `from`, stores a notification in an inbox, runs `from` and every
 * later one: returns the notification and recipient rows as they read afterwards. A migration
 * that rebuilds or retypes a table must carry its rows over (on SQLite, rebuilding
 * `notifications` with foreign keys on would cascade-delete every recipient).
 */
export async function rowsAcrossMigrations(options: DataSourceOptions, from = ROWS_CHECKED_FROM) {
  const older = NOTIFICATIONS_MIGRATIONS.slice(0, MIGRATION_NAMES.indexOf(from));
  const before = new DataSource({ ...options, migrations: older } as DataSourceOptions);
  await before.initialize();
  try {
    await before.runMigrations();
    await before.query(
      `INSERT INTO notifications (id, type, title, body, priority, topic, created_at, audience)
       VALUES ('n-kept', 'kept.type', 'Kept title', 'Kept body', 'high', 'kept-topic', '2026-01-01T00:00:00.000Z', 'users')`,
    );
    await before.query(
      `INSERT INTO notification_recipients (user_id, notification_id, created_at) VALUES ('u-kept', 'n-kept', '2026-01-01T00:00:00.000Z')`,
    );
  } finally {
    await before.destroy();
  }
  const after = new DataSource({ ...options, migrations: NOTIFICATIONS_MIGRATIONS } as DataSourceOptions);
  await after.initialize();
  try {
    const applied = (await after.runMigrations()).map((migration) => migration.name);
    const notifications = await after.query(`SELECT id, type, title, body, priority FROM notifications`);
    // InboxFiltersByRow copies each notification's type and topic into its inbox rows.
    const recipients = await after.query(
      `SELECT user_id AS "userId", notification_id AS "notificationId", type, topic FROM notification_recipients`,
    );
    return { applied, notifications, recipients };
  } finally {
    await after.destroy();
  }
}

/** What rowsAcrossMigrations() stored, as it must read back. */
export const KEPT_ROWS = {
  notifications: [{ id: 'n-kept', type: 'kept.type', title: 'Kept title', body: 'Kept body', priority: 'high' }],
  recipients: [{ userId: 'u-kept', notificationId: 'n-kept', type: 'kept.type', topic: 'kept-topic' }],
};

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

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
  'notification_cursor_marks',
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

const TENANT_NUMBERS = 'TenantNumbers1766050000000';

/** What every key column, the held audiences and the tenants table hold. */
export interface StoredKeys {
  columns: Record<string, string[]>;
  held: Record<string, unknown>;
  tenants: Array<{ number: number; tenantId: string }>;
}

/** Keys of the old form (one plain id too) and what TenantNumbers makes of them. */
const OLD_AND_NUMBERED_KEYS: ReadonlyArray<readonly [old: string, numbered: string]> = [
  ['2:42:u1', '1:u1'], // tenant "42", an id that looks like a number
  ['3:a:1:u1', '2:u1'], // tenant "a:1", an id that holds ":"
  ['3:a:2:u2', '3:u2'],
  ['4:acme:u1', '4:u1'],
  ['4:acme:', '4:'], // host code's Idempotency-Keys in acme (no sender id)
  ['4:acme:beta:x', '4:beta:x'], // acme's user "beta:x": converted once, never again as tenant beta's
  ['4:beta:u1', '5:u1'],
  ['6:globex:svc', '6:svc'],
  ['legacy-user', 'legacy-user'], // stored before tenancy was turned on: the default tenant's, left alone
];

/** The tenants numbered, in tenant id order: those the keys name, and zeta, named by a held broadcast only. */
const NUMBERED_TENANTS = ['42', 'a:1', 'a:2', 'acme', 'beta', 'globex', 'zeta'].map((tenantId, index) => ({ number: index + 1, tenantId }));

/**
 * A database that ran with tenancy (its notifications are acme's, a held broadcast zeta's), with
 * keys of the old form in every column that holds keys: TenantNumbers numbers its tenants and
 * converts every key, and undone, leaves every key as it was.
 */
export async function expectKeysNumbered(options: DataSourceOptions): Promise<void> {
  const numbered = new Map(OLD_AND_NUMBERED_KEYS);
  const result = await keysAcrossTenantNumbers(options, [...numbered.keys()], 'acme', 'zeta');
  expect(Object.keys(result.before.columns)).toHaveLength(13);
  expect(Object.values(result.before.columns).every((keys) => keys.length === numbered.size)).toBe(true);
  expect(result.after).toEqual({ ...withKeys(result.before, (key) => numbered.get(key) ?? key), tenants: NUMBERED_TENANTS });
  expect(result.undone).toEqual(result.before);
}

/** A database that never ran with tenancy, whose ids look like keys of the old form: TenantNumbers leaves it as it is. */
export async function expectKeysLeftAlone(options: DataSourceOptions): Promise<void> {
  const result = await keysAcrossTenantNumbers(
    options,
    OLD_AND_NUMBERED_KEYS.map(([key]) => key),
    '',
    '',
  );
  expect(result.after).toEqual(result.before);
  expect(result.undone).toEqual(result.before);
}

/** What was stored, each key as `convert` makes it. */
function withKeys(stored: StoredKeys, convert: (key: string) => string): Omit<StoredKeys, 'tenants'> {
  const held = (audience: any) =>
    audience.kind === 'users'
      ? { ...audience, userIds: audience.userIds.map(convert) }
      : audience.kind === 'topic'
        ? { ...audience, topic: convert(audience.topic) }
        : audience;
  return {
    columns: Object.fromEntries(Object.entries(stored.columns).map(([column, keys]) => [column, keys.map(convert).sort()])),
    held: Object.fromEntries(Object.entries(stored.held).map(([id, audience]) => [id, held(audience)])),
  };
}

/**
 * Runs the migrations before TenantNumbers, stores `keys` in every key column (one row each)
 * and in held sends' audiences, with every notification of tenant `tenantId` ('' without
 * tenancy) and a held broadcast of `broadcastTenant`; runs TenantNumbers, then undoes it. What
 * was stored, as it reads before, after and once undone.
 */
async function keysAcrossTenantNumbers(
  options: DataSourceOptions,
  keys: readonly string[],
  tenantId: string,
  broadcastTenant: string,
): Promise<{ before: StoredKeys; after: StoredKeys; undone: StoredKeys }> {
  const upTo = MIGRATION_NAMES.indexOf(TENANT_NUMBERS);
  const before = new DataSource({ ...options, migrations: NOTIFICATIONS_MIGRATIONS.slice(0, upTo) } as DataSourceOptions);
  await before.initialize();
  let stored: StoredKeys;
  try {
    await before.runMigrations();
    await storeKeys(before, keys, tenantId, broadcastTenant);
    stored = await storedKeys(before);
  } finally {
    await before.destroy();
  }
  const across = new DataSource({ ...options, migrations: NOTIFICATIONS_MIGRATIONS.slice(0, upTo + 1) } as DataSourceOptions);
  await across.initialize();
  try {
    await across.runMigrations();
    const after = await storedKeys(across);
    await across.undoLastMigration();
    return { before: stored, after, undone: await storedKeys(across) };
  } finally {
    await across.destroy();
  }
}

async function storeKeys(dataSource: DataSource, keys: readonly string[], tenantId: string, broadcastTenant: string): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  const later = '2030-01-01T00:00:00.000Z';
  const run = (sql: string, values: unknown[]) => dataSource.query(numbered(dataSource, sql), values);
  const notification = `INSERT INTO notifications (id, type, title, created_at, audience, sender_id, tenant_id, deliver_at, pending_audience)
    VALUES (?, 't', 'Title', ?, ?, ?, ?, ?, ?)`;
  for (const [index, key] of keys.entries()) {
    const id = `n-${index}`;
    await run(notification, [id, at, 'users', key, tenantId, null, null]);
    await run(`INSERT INTO notification_recipients (user_id, notification_id, created_at) VALUES (?, ?, ?)`, [key, id, at]);
    await run(`INSERT INTO notification_idempotency_keys (sender_id, key, response, created_at) VALUES (?, ?, '{}', ?)`, [key, id, at]);
    await run(`INSERT INTO notification_revocations (user_id, revoked_before) VALUES (?, ?)`, [key, at]);
    await run(`INSERT INTO notification_topic_subscriptions (topic, user_id, created_at) VALUES (?, ?, ?)`, [key, key, at]);
    await run(`INSERT INTO notification_preferences (user_id, value, updated_at) VALUES (?, '{}', ?)`, [key, at]);
    await run(`INSERT INTO notification_in_app_rules (user_id, precedence, key, in_app) VALUES (?, 0, 't', 1)`, [key]);
    await run(
      `INSERT INTO notification_outbox (notification_id, user_id, channel, cancel_when, planned_at, due_at, updated_at)
       VALUES (?, ?, 'push', 'read', ?, ?, ?)`,
      [id, key, at, at, at],
    );
    await run(
      `INSERT INTO notification_channel_attempts (notification_id, user_id, channel, attempt, at, outcome) VALUES (?, ?, 'push', 1, ?, 'sent')`,
      [id, key, at],
    );
    await run(`INSERT INTO notification_push_subscriptions (endpoint, user_id, p256dh, auth, created_at) VALUES (?, ?, 'p', 'a', ?)`, [
      `https://push.example/${index}`,
      key,
      at,
    ]);
    await run(`INSERT INTO notification_user_contacts (user_id, email, updated_at) VALUES (?, 'user@example.com', ?)`, [key, at]);
    await run(`INSERT INTO notification_snoozes (notification_id, user_id, until, snoozed_at) VALUES (?, ?, ?, ?)`, [id, key, later, at]);
  }
  const held = (audience: object) => JSON.stringify(audience);
  await run(notification, ['held-users', at, 'users', null, tenantId, later, held({ kind: 'users', userIds: keys })]);
  await run(notification, ['held-topic', at, 'topic', null, tenantId, later, held({ kind: 'topic', topic: keys[0] })]);
  await run(notification, [
    'held-broadcast',
    at,
    'broadcast',
    null,
    broadcastTenant,
    later,
    held({ kind: 'broadcast', tenantId: broadcastTenant }),
  ]);
}

/**
 * The columns that hold keys, read from the schema: every `user_id` and `sender_id`, and the
 * topic subscriptions' `topic` (a topic's key).
 */
async function keyColumns(dataSource: DataSource): Promise<Array<[table: string, column: string]>> {
  const runner = dataSource.createQueryRunner();
  try {
    const columns: Array<[string, string]> = [['notification_topic_subscriptions', 'topic']];
    for (const table of TABLES) {
      const found = await runner.getTable(table);
      for (const { name } of found?.columns ?? []) if (name === 'user_id' || name === 'sender_id') columns.push([table, name]);
    }
    return columns;
  } finally {
    await runner.release();
  }
}

async function storedKeys(dataSource: DataSource): Promise<StoredKeys> {
  const columns: Record<string, string[]> = {};
  for (const [table, column] of await keyColumns(dataSource)) {
    const rows = await dataSource.query(`SELECT ${column} AS "key" FROM ${table} WHERE ${column} IS NOT NULL`);
    columns[`${table}.${column}`] = rows.map((row: { key: string }) => row.key).sort();
  }
  const held: Record<string, unknown> = {};
  for (const row of await dataSource.query(
    `SELECT id, pending_audience AS "audience" FROM notifications WHERE pending_audience IS NOT NULL`,
  )) {
    held[row.id] = JSON.parse(row.audience);
  }
  const tenants = (await existingTables(dataSource)).includes('notification_tenants')
    ? (await dataSource.query(`SELECT number, tenant_id AS "tenantId" FROM notification_tenants ORDER BY number`)).map(
        (row: { number: number | string; tenantId: string }) => ({ number: Number(row.number), tenantId: row.tenantId }),
      )
    : [];
  return { columns, held, tenants };
}

/** `?` placeholders, as the engine wants them. */
function numbered(dataSource: DataSource, sql: string): string {
  let position = 0;
  return dataSource.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++position}`) : sql;
}

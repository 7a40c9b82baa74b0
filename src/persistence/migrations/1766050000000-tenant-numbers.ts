import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Every column that holds a user's, a sender's or a topic's key: with tenancy, a qualified key.
 * (`notifications.topic` and the inbox rows' `topic` hold the topic's own name; webhook event
 * payloads hold the ids as their tenant names them, with `tenantId`; preferences name topics and
 * types as the user does.) Held sends keep their audience's keys in `pending_audience`, as JSON.
 */
const KEY_COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['notifications', 'sender_id'],
  ['notification_recipients', 'user_id'],
  ['notification_idempotency_keys', 'sender_id'],
  ['notification_revocations', 'user_id'],
  ['notification_topic_subscriptions', 'topic'],
  ['notification_topic_subscriptions', 'user_id'],
  ['notification_preferences', 'user_id'],
  ['notification_in_app_rules', 'user_id'],
  ['notification_outbox', 'user_id'],
  ['notification_channel_attempts', 'user_id'],
  ['notification_push_subscriptions', 'user_id'],
  ['notification_user_contacts', 'user_id'],
  ['notification_snoozes', 'user_id'],
];

/** A tenant's key prefix before this migration and after it, for one conversion or its undoing. */
interface Prefixes {
  from: string;
  to: string;
}

/**
 * Tenants by number (docs/tenants.md): `notification_tenants` gives each tenant id a small
 * integer, and with tenancy every stored key becomes `<number>:<id>` instead of
 * `<tenant length>:<tenant id>:<id>`, so the user-led indexes of the inbox hold a few digits
 * per key instead of the tenant id (which may be a 36-character UUID).
 *
 * A database that ran with tenancy holds keys of the old form: they are converted, each distinct
 * tenant numbered (in tenant id order). It ran with tenancy when a notification names a tenant
 * (`notifications.tenant_id <> ''`): only tenancy writes one. A database without such a
 * notification is left as it is, whatever its ids look like: a plain id such as `4:acme:u1` of a
 * deployment without tenancy is that user's id, not a key. (A tenancy deployment whose every
 * notification was deleted would keep its old keys; tenancy was never released in that form.)
 */
export class TenantNumbers1766050000000 implements MigrationInterface {
  name = 'TenantNumbers1766050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_tenants',
        columns: [
          { name: 'number', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'varchar', length: '100' },
        ],
        indices: [new TableIndex({ name: 'uq_notification_tenants_tenant_id', columnNames: ['tenant_id'], isUnique: true })],
      }),
    );
    const tenanted = await queryRunner.query(`SELECT 1 AS "found" FROM "notifications" WHERE "tenant_id" <> '' LIMIT 1`);
    if (tenanted.length === 0) return;
    const tenantIds = await tenantsOfOldKeys(queryRunner);
    for (const tenantId of [...tenantIds].sort()) {
      await query(queryRunner, `INSERT INTO "notification_tenants" ("tenant_id") VALUES (?)`, [tenantId]);
    }
    const numbered = await numberedTenants(queryRunner);
    await convertKeys(
      queryRunner,
      numbered.map(({ tenantId, tenantNumber }) => ({ from: oldPrefix(tenantId), to: `${tenantNumber}:` })),
    );
  }

  /** Turns every key back into the old form (tenants numbered since included), then drops the table. */
  async down(queryRunner: QueryRunner): Promise<void> {
    const numbered = await numberedTenants(queryRunner);
    await convertKeys(
      queryRunner,
      numbered.map(({ tenantId, tenantNumber }) => ({ from: `${tenantNumber}:`, to: oldPrefix(tenantId) })),
    );
    await queryRunner.dropTable('notification_tenants');
  }
}

/** What a key of the tenant started with before tenants had numbers: `<tenant length>:<tenant id>:`. */
function oldPrefix(tenantId: string): string {
  return `${tenantId.length}:${tenantId}:`;
}

/** The tenant of a key of the old form (the length prefix checked as the old code read it), or undefined. */
function oldTenantOf(key: string): string | undefined {
  const colon = key.indexOf(':');
  if (colon < 1 || colon > 3 || !/^[1-9]\d*$/.test(key.slice(0, colon))) return undefined;
  const tenantEnd = colon + 1 + Number(key.slice(0, colon));
  return key.length > tenantEnd && key[tenantEnd] === ':' ? key.slice(colon + 1, tenantEnd) : undefined;
}

/** Every tenant the stored keys and notifications name. */
async function tenantsOfOldKeys(queryRunner: QueryRunner): Promise<Set<string>> {
  const tenants = new Set<string>();
  const notifications = await queryRunner.query(`SELECT DISTINCT "tenant_id" AS "tenantId" FROM "notifications" WHERE "tenant_id" <> ''`);
  for (const row of notifications) tenants.add(row.tenantId);
  for (const [table, column] of KEY_COLUMNS) {
    for (const row of await queryRunner.query(`SELECT DISTINCT "${column}" AS "key" FROM "${table}" WHERE "${column}" IS NOT NULL`)) {
      const tenantId = oldTenantOf(row.key);
      if (tenantId !== undefined) tenants.add(tenantId);
    }
  }
  for (const { audience } of await heldAudiences(queryRunner)) {
    for (const key of audienceKeys(audience)) {
      const tenantId = oldTenantOf(key);
      if (tenantId !== undefined) tenants.add(tenantId);
    }
  }
  return tenants;
}

async function numberedTenants(queryRunner: QueryRunner): Promise<Array<{ tenantNumber: number; tenantId: string }>> {
  const rows = await queryRunner.query(`SELECT "number", "tenant_id" AS "tenantId" FROM "notification_tenants"`);
  return rows.map((row: { number: number | string; tenantId: string }) => ({ tenantNumber: Number(row.number), tenantId: row.tenantId }));
}

/**
 * Rewrites every key that starts with one of the `from` prefixes to start with its `to`, in
 * every key column and held audience. One statement per column, so each key is converted once,
 * from what it was: converted one tenant at a time, a new key (`4:beta:x`, user `beta:x` of
 * tenant 4) could be read as an old one of another tenant (`beta`'s) and converted again. The
 * prefixes are unambiguous: a key starts with one tenant's at most.
 */
async function convertKeys(queryRunner: QueryRunner, conversions: Prefixes[]): Promise<void> {
  if (conversions.length === 0) return;
  await queryRunner.query(
    `CREATE TEMPORARY TABLE tenant_key_prefixes (from_prefix varchar(120), from_length integer, to_prefix varchar(120))`,
  );
  for (const { from, to } of conversions) {
    // Lengths in characters, as substr counts them (a JavaScript length counts UTF-16 units).
    await query(queryRunner, `INSERT INTO tenant_key_prefixes (from_prefix, from_length, to_prefix) VALUES (?, ?, ?)`, [
      from,
      [...from].length,
      to,
    ]);
  }
  for (const [table, column] of KEY_COLUMNS) {
    const key = `"${table}"."${column}"`;
    const matching = `FROM tenant_key_prefixes p WHERE substr(${key}, 1, p.from_length) = p.from_prefix`;
    await queryRunner.query(
      `UPDATE "${table}" SET "${column}" = (SELECT p.to_prefix || substr(${key}, p.from_length + 1) ${matching})
       WHERE EXISTS (SELECT 1 ${matching})`,
    );
  }
  await queryRunner.query(`DROP TABLE tenant_key_prefixes`);
  const convert = (key: string) => {
    const conversion = conversions.find(({ from }) => key.startsWith(from));
    return conversion ? conversion.to + key.slice(conversion.from.length) : key;
  };
  for (const { id, audience } of await heldAudiences(queryRunner)) {
    const converted =
      audience.kind === 'users' ? { ...audience, userIds: audience.userIds.map(convert) } : { ...audience, topic: convert(audience.topic) };
    if (JSON.stringify(converted) === JSON.stringify(audience)) continue;
    await query(queryRunner, `UPDATE "notifications" SET "pending_audience" = ? WHERE "id" = ?`, [JSON.stringify(converted), id]);
  }
}

type HeldAudience = { kind: 'users'; userIds: string[] } | { kind: 'topic'; topic: string };

/** The audiences of held sends to users or a topic (a held broadcast names its tenant by id, unchanged). */
async function heldAudiences(queryRunner: QueryRunner): Promise<Array<{ id: string; audience: HeldAudience }>> {
  const rows = await queryRunner.query(
    `SELECT "id", "pending_audience" AS "audience" FROM "notifications" WHERE "pending_audience" IS NOT NULL AND "audience" <> 'broadcast'`,
  );
  return rows.map((row: { id: string; audience: string }) => ({ id: row.id, audience: JSON.parse(row.audience) as HeldAudience }));
}

function audienceKeys(audience: HeldAudience): string[] {
  return audience.kind === 'users' ? audience.userIds : [audience.topic];
}

/** A statement written with `?` placeholders, numbered for PostgreSQL. */
function query(queryRunner: QueryRunner, sql: string, parameters: unknown[]): Promise<unknown> {
  let position = 0;
  const text = queryRunner.connection.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++position}`) : sql;
  return queryRunner.query(text, parameters);
}

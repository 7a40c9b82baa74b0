// What PostgreSQL itself spends on a p2p send and its ack, and on which part: the backend's
// own CPU time (from /proc, so PostgreSQL must run on this machine), not the client's.
// The project's send is the real one (storeDirectSend on the built library: the inbox locks,
// then one statement that inserts the notification and the inbox row and reads the previous
// cursor and the unread counts), its ack the store's UPDATE; the floor's are the statements
// of bench/floor/postgres.ts on its own schema. Then the project's again with one index of
// the inbox rows dropped at a time, to see what each costs.
// Each database holds 2,000 users with 20 rows each first; a round is 2,000 sends to random
// users, one at a time on one connection, then their acks in batches of 20.
//
//   npm run build && taskset -c 1 node bench/micro/pg-send-parts.js [floor,project]
// SESSION_SQL runs first on the project's one connection (`SET plan_cache_mode = …`).
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const { Client } = require('pg');
const { DataSource } = require('typeorm');
const { NOTIFICATIONS_ENTITIES, NOTIFICATIONS_MIGRATIONS } = require('../../dist');
const { storeDirectSend } = require('../../dist/persistence/direct-send.postgres');
const { executeInOneRoundTrip } = require('../../dist/persistence/postgres-round-trip');

const ADMIN_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const USERS = 2000;
const SENDS = 2000;
const ACKS_PER_BATCH = 20;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TICKS_PER_SECOND = 100;

const users = Array.from({ length: USERS }, (_, index) => `user-${index}`);
const randomUser = () => users[Math.floor(Math.random() * USERS)];

function urlOf(database) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function recreate(database) {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
}

/** CPU seconds the backend serving `client` has used (user + system). */
async function backendCpu(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function backendPid(query) {
  const rows = await query('SELECT pg_backend_pid() AS pid');
  return rows[0].pid;
}

/** The project's send and ack through the built library, on a migrated database of its own. */
async function project(dropIndex) {
  const database = 'nln_send_parts_project';
  await recreate(database);
  const dataSource = new DataSource({
    type: 'postgres',
    url: urlOf(database),
    entities: NOTIFICATIONS_ENTITIES,
    migrations: NOTIFICATIONS_MIGRATIONS,
    extra: { max: 1 },
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  if (dropIndex) await dataSource.query(`DROP INDEX ${dropIndex}`);
  // One connection (max 1): a SET here holds for every statement below.
  if (process.env.SESSION_SQL) await dataSource.query(process.env.SESSION_SQL);
  const unitOfWork = { writeInOneRoundTrip: (statements) => executeInOneRoundTrip(dataSource, statements) };
  const send = async (userId) => {
    const id = randomUUID();
    const now = new Date().toISOString();
    await storeDirectSend(
      unitOfWork,
      {
        id,
        type: 'bench.p2p',
        title: 'p2p',
        body: 'x',
        data: null,
        priority: 'normal',
        topic: null,
        createdAt: now,
        expiresAt: null,
        actions: [],
        groupKey: null,
        critical: false,
      },
      'sender',
      [userId],
      null,
      [userId],
      now,
    );
    return { id, userId };
  };
  const ack = (batch) =>
    dataSource.query(
      `UPDATE notification_recipients r SET delivered_at = $1
       FROM unnest($2::text[], $3::text[]) AS acked (notification_id, user_id)
       WHERE r.notification_id = acked.notification_id AND r.user_id = acked.user_id
         AND r.delivered_at IS NULL AND r.archived_at IS NULL AND (r.expires_at IS NULL OR r.expires_at > $4)
       RETURNING r.notification_id AS "id", r.user_id AS "userId"`,
      [new Date().toISOString(), batch.map((each) => each.id), batch.map((each) => each.userId), new Date().toISOString()],
    );
  const result = await measure((sql) => dataSource.query(sql), send, ack);
  await dataSource.destroy();
  return result;
}

/** bench/floor/postgres.ts's schema, send and ack. */
async function floor() {
  const database = 'nln_send_parts_floor';
  await recreate(database);
  const client = new Client({ connectionString: urlOf(database) });
  await client.connect();
  await client.query(`
    CREATE TABLE notifications (id uuid PRIMARY KEY, type text NOT NULL, title text NOT NULL, body text, data text, created_at timestamptz NOT NULL);
    CREATE TABLE recipients (cursor bigserial PRIMARY KEY, user_id text NOT NULL, notification_id uuid NOT NULL REFERENCES notifications (id),
      delivered_at timestamptz, read_at timestamptz);
    CREATE UNIQUE INDEX recipients_by_notification ON recipients (notification_id, user_id);
    CREATE INDEX undelivered_by_user ON recipients (user_id, cursor) WHERE delivered_at IS NULL;
    CREATE INDEX unread_by_user ON recipients (user_id) WHERE read_at IS NULL;`);
  const send = async (userId) => {
    const id = randomUUID();
    await client.query({
      name: 'send',
      text: `WITH notification AS (INSERT INTO notifications (id, type, title, body, data, created_at) VALUES ($1::uuid, $2, $3, $4, $5, $6::timestamptz))
        INSERT INTO recipients (user_id, notification_id) SELECT user_id, $1::uuid FROM unnest($7::text[]) AS user_id RETURNING cursor, user_id`,
      values: [id, 'bench.p2p', 'p2p', 'x', null, new Date().toISOString(), [userId]],
    });
    return { id, userId };
  };
  const ack = (batch) =>
    client.query({
      text: `UPDATE recipients r SET delivered_at = now() FROM unnest($1::text[], $2::uuid[]) AS acked (user_id, notification_id)
        WHERE r.notification_id = acked.notification_id AND r.user_id = acked.user_id AND r.delivered_at IS NULL`,
      values: [batch.map((each) => each.userId), batch.map((each) => each.id)],
    });
  const result = await measure(async (sql) => (await client.query(sql)).rows, send, ack);
  await client.end();
  return result;
}

/** Seeds 20 acked rows per user, then ROUNDS rounds; the backend's CPU per send and per ack, medians. */
async function measure(query, send, ack) {
  const pid = await backendPid(query);
  const round = async () => {
    const sent = [];
    let before = await backendCpu(pid);
    for (let index = 0; index < SENDS; index++) sent.push(await send(randomUser()));
    const sendCpu = (await backendCpu(pid)) - before;
    before = await backendCpu(pid);
    for (let index = 0; index < sent.length; index += ACKS_PER_BATCH) await ack(sent.slice(index, index + ACKS_PER_BATCH));
    return { send: (sendCpu / SENDS) * 1e6, ack: (((await backendCpu(pid)) - before) / SENDS) * 1e6 };
  };
  for (let seed = 0; seed < (USERS * 20) / SENDS; seed++) await round();
  await query('VACUUM ANALYZE');
  const rounds = [];
  for (let index = 0; index < ROUNDS; index++) rounds.push(await round());
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { send: median(rounds.map((each) => each.send)), ack: median(rounds.map((each) => each.ack)) };
}

const VARIANTS = [
  ['floor', () => floor()],
  ['project', () => project()],
  ['project without idx_notification_recipients_type', () => project('idx_notification_recipients_type')],
  ['project without idx_notification_recipients_topic', () => project('idx_notification_recipients_topic')],
  ['project without idx_notification_recipients_unread', () => project('idx_notification_recipients_unread')],
  ['project without idx_notification_recipients_undelivered', () => project('idx_notification_recipients_undelivered')],
  ['project without idx_notification_recipients_user_cursor', () => project('idx_notification_recipients_user_cursor')],
];

(async () => {
  // Names to run, comma-separated (`floor,project`); all of them without.
  const only = process.argv[2]?.split(',');
  console.log(`PostgreSQL backend CPU per operation (µs), median of ${ROUNDS} rounds of ${SENDS} sends and their acks`);
  for (const [name, run] of VARIANTS) {
    if (only && !only.includes(name)) continue;
    const { send, ack } = await run();
    console.log(
      `${name.padEnd(58)} send ${send.toFixed(0).padStart(5)}   ack ${ack.toFixed(0).padStart(5)}   total ${(send + ack).toFixed(0).padStart(5)}`,
    );
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Lab copy of bench/micro/wal-frames-per-send.js (cc95c23) with variants chosen by environment variables:
// V1=1 the one-user insert and the acks without RETURNING; NORET, NOADMIT, PLAIN, V2 other insert shapes;
// ROWID=1 the project's schema against the same with indexes (user_id) and (user_id, type, state) instead of
// ones that end with the cursor; CACHE=<n> a cache_size. Paths are those of the session's checkout (/work/main).
// What a p2p send costs SQLite, the project's schema and statements against the floor's: the
// same driver, the same inbox (2,000 users, 40 acknowledged rows each), sends of one user in
// groups of 4 per COMMIT (about what group commit gives at 2,000/s), each group's acks in a
// second COMMIT. It prints, per send, the WAL frames written (each frame is a page and costs
// two pwrite calls), the time of the statements and of the COMMITs, and this process's CPU.
// The project's schema is its migrations' (run `npm run build` first); its statements are
// those the server runs for a send (the sql-time probe names them).
//
//   taskset -c 0 node bench/micro/wal-frames-per-send.js [rounds]
require('/work/main/node_modules/reflect-metadata');
const Database = require('/work/main/node_modules/better-sqlite3');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DataSource } = require('/work/main/node_modules/typeorm');
const { v7: timeOrderedId } = require('/work/main/node_modules/uuid');
const { NOTIFICATIONS_MIGRATIONS } = require('/work/main/dist');

const USERS = Array.from({ length: 2000 }, (_, index) => `p-${index}`);
const ROWS_PER_USER = 40;
const SENDS = 8000;
const SENDS_PER_COMMIT = 4;

const ADMITS = `COALESCE((SELECT rule.in_app FROM notification_in_app_rules rule WHERE rule.user_id = audience.column1
  AND ((rule.precedence = 0 AND rule.key = ?) OR (rule.precedence = 1 AND rule.key = substr(?, 1, length(rule.key)))
  OR rule.precedence = 3) ORDER BY rule.precedence, length(rule.key) DESC LIMIT 1), 1) = 1`;

/** The project's send: the notification, its inbox row (in-app rules in the WHERE), the unread count; the ack. */
function projectStatements(db) {
  const notification = db.prepare(
    `INSERT INTO notifications (id, type, title, body, data, priority, topic, sender_id, created_at, expires_at, audience,
       deliver_at, pending_audience, critical, actions, group_key, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let row = db.prepare(
    `INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic)
     SELECT audience.column1, ?, ?, ?, ?, ? FROM (VALUES (?)) AS audience WHERE ${ADMITS} RETURNING cursor, user_id AS "userId"`,
  );
  if (process.env.NORET) row = db.prepare(`INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic)
     SELECT audience.column1, ?, ?, ?, ?, ? FROM (VALUES (?)) AS audience WHERE ${ADMITS}`);
  if (process.env.NOADMIT) row = db.prepare(`INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic)
     SELECT audience.column1, ?, ?, ?, ?, ? FROM (VALUES (?)) AS audience RETURNING cursor, user_id AS "userId"`);
  const ADMITS1 = ADMITS.replace('audience.column1', '?1');
  if (process.env.V1) row = db.prepare(`INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic)
     SELECT ?, ?, ?, ?, ?, ? WHERE ${ADMITS.replace('audience.column1', '?')}`);
  if (process.env.V2) row = db.prepare(`INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic) VALUES (?, ?, ?, ?, ?, ?) RETURNING cursor`);
  if (process.env.PLAIN) row = db.prepare(`INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic) VALUES (?, ?, ?, ?, ?, ?)`);
  const count = db.prepare(
    `SELECT user_id AS "userId", COUNT(*) AS "count", SUM(CASE WHEN seen_at IS NULL THEN 1 ELSE 0 END) AS "unseen"
     FROM notification_recipients WHERE user_id IN (?) AND read_at IS NULL AND archived_at IS NULL
     AND (expires_at IS NULL OR expires_at > ?) GROUP BY user_id`,
  );
  const ack = db.prepare(
    `UPDATE notification_recipients SET delivered_at = ? WHERE delivered_at IS NULL AND archived_at IS NULL
     AND (expires_at IS NULL OR expires_at > ?) AND (notification_id, user_id) IN (VALUES (?, ?))
     RETURNING notification_id AS "id", user_id AS "userId"`,
  );
  const ackNoRet = db.prepare(`UPDATE notification_recipients SET delivered_at = ? WHERE delivered_at IS NULL AND archived_at IS NULL
     AND (expires_at IS NULL OR expires_at > ?) AND (notification_id, user_id) IN (VALUES (?, ?))`);
  const ack4 = db.prepare(`UPDATE notification_recipients SET delivered_at = ? WHERE delivered_at IS NULL AND archived_at IS NULL
     AND (expires_at IS NULL OR expires_at > ?) AND (notification_id, user_id) IN (VALUES (?, ?), (?, ?), (?, ?), (?, ?)) RETURNING notification_id AS "id", user_id AS "userId"`);
  return {
    ack4(group, now) { if (process.env.V1) for (const [u, i] of group) ackNoRet.run(now, now, i, u); else ack4.all(now, now, ...group.flatMap(([u, i]) => [i, u])); },
    send(userId, id, now) {
      if (global.parts) global.parts.start = process.hrtime.bigint();
      notification.run(
        id,
        'bench.p2p',
        'p2p',
        null,
        '{"k":0}',
        'normal',
        null,
        'bench-sender',
        now,
        null,
        'users',
        null,
        null,
        0,
        null,
        null,
        '',
      );
      let t0 = process.hrtime.bigint();
      if (process.env.V1) row.run(userId, id, now, null, 'bench.p2p', null, userId, 'bench.p2p', 'bench.p2p'); else if (process.env.V2) row.all(userId, id, now, null, 'bench.p2p', null); else if (process.env.PLAIN) row.run(userId, id, now, null, 'bench.p2p', null); else if (process.env.NORET) row.run(id, now, null, 'bench.p2p', null, userId, 'bench.p2p', 'bench.p2p'); else if (process.env.NOADMIT) row.all(id, now, null, 'bench.p2p', null, userId); else row.all(id, now, null, 'bench.p2p', null, userId, 'bench.p2p', 'bench.p2p');
      let t1 = process.hrtime.bigint();
      count.all(userId, now);
      let t2 = process.hrtime.bigint();
      if (global.parts) { global.parts.row += t1 - t0; global.parts.count += t2 - t1; global.parts.notif += t0 - global.parts.start; }
    },
    ack: (userId, id, now) => process.env.V1 ? ackNoRet.run(now, now, id, userId) : ack.all(now, now, id, userId),
  };
}

/** The floor's send (bench/floor/server.ts): the notification, its row; the ack. */
function floorStatements(db) {
  const notification = db.prepare('INSERT INTO notifications (id, type, title, body, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  let row = db.prepare('INSERT INTO recipients (user_id, notification_id) VALUES (?, ?)');
  const ack = db.prepare('UPDATE recipients SET delivered_at = ? WHERE user_id = ? AND notification_id = ? AND delivered_at IS NULL');
  return {
    send(userId, id, now) {
      notification.run(id, 'bench.p2p', 'p2p', null, '{"k":0}', now);
      row.run(userId, id);
    },
    ack: (userId, id, now) => ack.run(now, userId, id),
  };
}

async function projectDatabase(file) {
  const dataSource = new DataSource({ type: 'better-sqlite3', database: file, migrations: NOTIFICATIONS_MIGRATIONS });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  return new Database(file);
}
const STATE = '(CASE WHEN "archived_at" IS NULL THEN 0 ELSE 3 END + CASE WHEN "read_at" IS NOT NULL THEN 2 WHEN "seen_at" IS NOT NULL THEN 1 ELSE 0 END)';
async function rowidDatabase(file) {
  const db = await projectDatabase(file);
  db.exec(`DROP INDEX idx_notification_recipients_user_cursor; CREATE INDEX idx_notification_recipients_user_cursor ON notification_recipients (user_id);
   DROP INDEX idx_notification_recipients_type; CREATE INDEX idx_notification_recipients_type ON notification_recipients (user_id, type, ${STATE});`);
  return db;
}

function floorDatabase(file) {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE notifications (id TEXT PRIMARY KEY, type TEXT NOT NULL, title TEXT NOT NULL, body TEXT, data TEXT, created_at TEXT NOT NULL);
    CREATE TABLE recipients (cursor INTEGER PRIMARY KEY, user_id TEXT NOT NULL, notification_id TEXT NOT NULL REFERENCES notifications (id),
      delivered_at TEXT, read_at TEXT);
    CREATE UNIQUE INDEX recipients_by_notification ON recipients (notification_id, user_id);
    CREATE INDEX undelivered_by_user ON recipients (user_id, cursor) WHERE delivered_at IS NULL;
    CREATE INDEX unread_by_user ON recipients (user_id) WHERE read_at IS NULL;`);
  return db;
}

async function measure(name, open, statementsOf) {
  const file = path.join(directory, `${name}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const db = await open(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  if (process.env.CACHE) db.pragma('cache_size = ' + process.env.CACHE);
  const statements = statementsOf(db);
  const inTransaction = (work) => db.transaction(work)();
  inTransaction(() => {
    for (let round = 0; round < ROWS_PER_USER; round++) {
      for (const userId of USERS) {
        const id = timeOrderedId();
        const now = new Date().toISOString();
        statements.send(userId, id, now);
        statements.ack(userId, id, now);
      }
    }
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true });
  const walBytes = () => fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  const walBefore = walBytes();
  let storeNs = 0n;
  let commitNs = 0n;
  let ackNs = 0n;
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const cpu = process.cpuUsage();
  global.parts = { row: 0n, count: 0n, notif: 0n, start: 0n };
  for (let sent = 0; sent < SENDS; sent += SENDS_PER_COMMIT) {
    const group = [];
    const now = new Date().toISOString();
    let startedAt = process.hrtime.bigint();
    begin.run();
    for (let index = 0; index < SENDS_PER_COMMIT; index++) {
      const userId = USERS[((sent + index) * 7) % USERS.length];
      const id = timeOrderedId();
      statements.send(userId, id, now);
      group.push([userId, id]);
    }
    const stored = process.hrtime.bigint();
    storeNs += stored - startedAt;
    commit.run();
    commitNs += process.hrtime.bigint() - stored;
    startedAt = process.hrtime.bigint();
    inTransaction(() => statements.ack4 ? statements.ack4(group, now) : group.forEach(([userId, id]) => statements.ack(userId, id, now)));
    ackNs += process.hrtime.bigint() - startedAt;
  }
  const used = process.cpuUsage(cpu);
  if (name !== 'floor') console.log('   parts µs/send: notification', Number(global.parts.notif)/1000/SENDS, 'row', Number(global.parts.row)/1000/SENDS, 'count', Number(global.parts.count)/1000/SENDS);
  global.parts = undefined;
  const frames = (walBytes() - walBefore) / (pageSize + 24);
  db.close();
  const perSend = (ns) => (Number(ns) / 1000 / SENDS).toFixed(1).padStart(6);
  return (
    `${name.padEnd(8)} WAL frames per send ${(frames / SENDS).toFixed(1).padStart(5)}   µs per send: statements ${perSend(storeNs)}, ` +
    `COMMIT ${perSend(commitNs)}, ack and its COMMIT ${perSend(ackNs)}; CPU ${((used.user + used.system) / SENDS).toFixed(1).padStart(6)}`
  );
}

// The floor's schema is shared with the lab scripts under bench/results/.
module.exports = { floorDatabase };
if (require.main !== module) return;
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-frames-'));

(async () => {
  const rounds = Number(process.argv[2] ?? 3);
  for (let round = 0; round < rounds; round++) {
    console.log(await measure('project', projectDatabase, projectStatements));
    if (process.env.ROWID) { console.log(await measure('project', projectDatabase, projectStatements)); console.log(await measure('rowid', rowidDatabase, projectStatements)); continue; }
    console.log(await measure('project', projectDatabase, projectStatements));
    console.log(await measure('floor', floorDatabase, floorStatements));
  }
  fs.rmSync(directory, { recursive: true, force: true });
})();

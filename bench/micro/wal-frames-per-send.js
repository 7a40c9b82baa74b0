// What a p2p send costs SQLite, the project's schema and statements against the floor's: the
// same driver, the same inbox (2,000 users, 40 acknowledged rows each), sends of one user in
// groups of 4 per COMMIT (about what group commit gives at 2,000/s), each group's acks in a
// second COMMIT. It prints, per send, the WAL frames written (each frame is a page and costs
// two pwrite calls), the time of the statements and of the COMMITs, and this process's CPU.
// The project's schema is its migrations' (run `npm run build` first); its statements are
// those the server runs for a send (the sql-time probe names them).
//
//   taskset -c 0 node bench/micro/wal-frames-per-send.js [rounds]
require('reflect-metadata');
const Database = require('better-sqlite3');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DataSource } = require('typeorm');
const { v7: timeOrderedId } = require('uuid');
const { NOTIFICATIONS_MIGRATIONS } = require('../../dist');

const USERS = Array.from({ length: 2000 }, (_, index) => `p-${index}`);
const ROWS_PER_USER = 40;
const SENDS = 8000;
const SENDS_PER_COMMIT = 4;

const ADMITS = `COALESCE((SELECT rule.in_app FROM notification_in_app_rules rule WHERE rule.user_id = audience.column1
  AND ((rule.precedence = 0 AND rule.key = ?) OR (rule.precedence = 1 AND rule.key = substr(?, 1, length(rule.key)))
  OR rule.precedence = 3) ORDER BY rule.precedence, length(rule.key) DESC LIMIT 1), 1) = 1`;

/** The project's send to one user: the notification, its inbox row (in-app rules in the WHERE), the unread count; the ack. */
function projectStatements(db) {
  const notification = db.prepare(
    `INSERT INTO notifications (id, type, title, body, data, priority, topic, sender_id, created_at, expires_at, audience,
       deliver_at, pending_audience, critical, actions, group_key, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const row = db.prepare(
    `INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic)
     SELECT audience.column1, ?, ?, ?, ?, ? FROM (VALUES (?)) AS audience WHERE ${ADMITS}`,
  );
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
  return {
    send(userId, id, now) {
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
      // The server's one-user send: no RETURNING (the cursor is the rowid run() answers).
      row.run(id, now, null, 'bench.p2p', null, userId, 'bench.p2p', 'bench.p2p');
      count.all(userId, now);
    },
    ack: (userId, id, now) => ack.all(now, now, id, userId),
  };
}

/** The floor's send (bench/floor/server.ts): the notification, its row; the ack. */
function floorStatements(db) {
  const notification = db.prepare('INSERT INTO notifications (id, type, title, body, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const row = db.prepare('INSERT INTO recipients (user_id, notification_id) VALUES (?, ?)');
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
    inTransaction(() => group.forEach(([userId, id]) => statements.ack(userId, id, now)));
    ackNs += process.hrtime.bigint() - startedAt;
  }
  const used = process.cpuUsage(cpu);
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
    console.log(await measure('floor', floorDatabase, floorStatements));
  }
  fs.rmSync(directory, { recursive: true, force: true });
})();

// Two ways to put a notification in 1,000 inboxes on SQLite (the schema's indexes of
// notification_recipients), and two ways to count the unread of 1,000 users:
// multi-row `INSERT … RETURNING` per 500 rows (what the store does) against a prepared
// single-row insert in a loop; `COUNT … WHERE user_id IN (500 ids) GROUP BY` (the store)
// against a prepared per-user count. One transaction per measurement, 8 rounds.
//
//   taskset -c 0 node bench/micro/recipient-inserts.js
const Database = require('better-sqlite3');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'recipient-inserts-'));
const db = new Database(path.join(directory, 'inbox.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  CREATE TABLE notification_recipients (cursor INTEGER PRIMARY KEY AUTOINCREMENT, user_id varchar(255) NOT NULL,
    notification_id varchar(36) NOT NULL, created_at varchar NOT NULL, expires_at varchar, delivered_at varchar,
    read_at varchar, archived_at varchar);
  CREATE UNIQUE INDEX uq_notification_user ON notification_recipients (notification_id, user_id);
  CREATE INDEX idx_user_cursor ON notification_recipients (user_id, cursor);
  CREATE INDEX idx_unread ON notification_recipients (user_id, read_at, archived_at, expires_at);
  CREATE INDEX idx_undelivered ON notification_recipients (user_id, cursor) WHERE delivered_at IS NULL;`);

const ROWS_PER_STATEMENT = 500;
const users = Array.from({ length: 1000 }, (_, index) => `bench-user-${index}`);
const now = new Date().toISOString();
let notification = 0;

const chunks = (items) =>
  Array.from({ length: Math.ceil(items.length / ROWS_PER_STATEMENT) }, (_, index) =>
    items.slice(index * ROWS_PER_STATEMENT, (index + 1) * ROWS_PER_STATEMENT),
  );
const insertOne = db.prepare(
  'INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at) VALUES (?, ?, ?, ?) RETURNING cursor',
);
const countOne = db.prepare(
  'SELECT COUNT(*) AS count FROM notification_recipients WHERE user_id = ? AND read_at IS NULL AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
);

const ways = {
  'multi-row insert': (ids) =>
    chunks(ids).flatMap((part) =>
      db
        .prepare(
          `INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')} RETURNING cursor, user_id AS userId`,
        )
        .all(part.flatMap((userId) => [userId, `n${notification}`, now, null])),
    ),
  'single-row insert': (ids) => ids.map((userId) => insertOne.get(userId, `n${notification}`, now, null)),
  'count IN (500)': (ids) =>
    chunks(ids).flatMap((part) =>
      db
        .prepare(
          `SELECT user_id AS userId, COUNT(*) AS count FROM notification_recipients WHERE user_id IN (${part.map(() => '?').join(', ')}) AND read_at IS NULL AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?) GROUP BY user_id`,
        )
        .all(...part, now),
    ),
  'count per user': (ids) => ids.map((userId) => countOne.get(userId, now)),
};

for (let round = 0; round < 8; round++) {
  const line = Object.entries(ways).map(([name, way]) => {
    const start = process.hrtime.bigint();
    db.transaction(() => way(users))();
    notification++;
    return `${name} ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(2)} ms`;
  });
  console.log(line.join(' | '));
}
db.close();
fs.rmSync(directory, { recursive: true, force: true });

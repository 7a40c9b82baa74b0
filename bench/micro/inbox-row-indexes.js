// What the inbox rows' type and topic copies and their indexes (migration 1766000000000) cost a
// send on SQLite, what keying those indexes by the row's state (migration 1766100000000) adds,
// and keying the topic index by the type as well (1766300000000): the four schemas side by
// side in one process, alternating rounds.
// Per round: a notification into 1,000 inboxes (multi-row INSERT … RETURNING per 500 rows, as
// the store does), once without a topic and once with one, and 1,000 single-recipient sends
// (one statement each, the p2p shape) followed by each one's unread count. Each database
// already holds 200,000 rows of 1,000 users, 60 % read, so indexes have depth.
//
//   taskset -c 0 node bench/micro/inbox-row-indexes.js
const Database = require('better-sqlite3');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const TABLE = `CREATE TABLE notification_recipients (cursor INTEGER PRIMARY KEY AUTOINCREMENT, user_id varchar(255) NOT NULL,
  notification_id varchar(36) NOT NULL, created_at varchar NOT NULL, expires_at varchar, delivered_at varchar,
  read_at varchar, seen_at varchar, archived_at varchar, group_key varchar, group_count integer NOT NULL DEFAULT 1,
  replaces varchar, action_id varchar, actioned_at varchar, type varchar(100), topic varchar(100));
  CREATE UNIQUE INDEX uq_notification_user ON notification_recipients (notification_id, user_id);
  CREATE UNIQUE INDEX uq_user_notification ON notification_recipients (user_id, notification_id);
  CREATE INDEX idx_user_cursor ON notification_recipients (user_id, cursor);
  CREATE INDEX idx_archived ON notification_recipients (user_id, cursor) WHERE archived_at IS NOT NULL;
  CREATE INDEX idx_undelivered ON notification_recipients (user_id, cursor) WHERE delivered_at IS NULL AND archived_at IS NULL;
  CREATE INDEX idx_group ON notification_recipients (user_id, group_key) WHERE group_key IS NOT NULL;`;

const STATE =
  '(CASE WHEN "archived_at" IS NULL THEN 0 ELSE 3 END + CASE WHEN "read_at" IS NOT NULL THEN 2 WHEN "seen_at" IS NOT NULL THEN 1 ELSE 0 END)';
const SCHEMAS = {
  before: {
    indexes: `CREATE INDEX idx_unread ON notification_recipients (user_id, read_at, archived_at, seen_at, expires_at);`,
    columns: 'user_id, notification_id, created_at, expires_at',
    values: (type, topic) => [],
  },
  after: {
    indexes: `CREATE INDEX idx_unread ON notification_recipients (user_id, cursor, seen_at, expires_at, type, topic, read_at, archived_at)
        WHERE read_at IS NULL AND archived_at IS NULL;
      CREATE INDEX idx_type ON notification_recipients (user_id, type, cursor) WHERE archived_at IS NULL;
      CREATE INDEX idx_topic ON notification_recipients (user_id, topic, cursor) WHERE topic IS NOT NULL AND archived_at IS NULL;`,
    columns: 'user_id, notification_id, created_at, expires_at, type, topic',
    values: (type, topic) => [type, topic],
  },
  states: {
    indexes: `CREATE INDEX idx_unread ON notification_recipients (user_id, cursor, seen_at, expires_at, type, topic, read_at, archived_at)
        WHERE read_at IS NULL AND archived_at IS NULL;
      CREATE INDEX idx_type ON notification_recipients (user_id, type, ${STATE}, cursor);
      CREATE INDEX idx_topic ON notification_recipients (user_id, topic, ${STATE}, cursor) WHERE topic IS NOT NULL;`,
    columns: 'user_id, notification_id, created_at, expires_at, type, topic',
    values: (type, topic) => [type, topic],
  },
  // Migration 1766300000000: the topic index keyed by the type too.
  topicType: {
    indexes: `CREATE INDEX idx_unread ON notification_recipients (user_id, cursor, seen_at, expires_at, type, topic, read_at, archived_at)
        WHERE read_at IS NULL AND archived_at IS NULL;
      CREATE INDEX idx_type ON notification_recipients (user_id, type, ${STATE}, cursor);
      CREATE INDEX idx_topic ON notification_recipients (user_id, topic, type, ${STATE}, cursor) WHERE topic IS NOT NULL;`,
    columns: 'user_id, notification_id, created_at, expires_at, type, topic',
    values: (type, topic) => [type, topic],
  },
};
const UNREAD = 'read_at IS NULL AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)';
const PREFILL = Number(process.env.PREFILL ?? 20_000);
const users = Array.from({ length: 1000 }, (_, index) => `bench-user-${index}`);
const now = new Date().toISOString();
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-row-indexes-'));

const databases = Object.entries(SCHEMAS).map(([name, schema]) => {
  const db = new Database(path.join(directory, `${name}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(TABLE + schema.indexes);
  const extra = schema.values('x', null).length;
  const placeholders = `(?, ?, ?, ?${', ?'.repeat(extra)})`;
  const fill = db.prepare(`INSERT INTO notification_recipients (${schema.columns}, read_at) VALUES ${placeholders.slice(0, -1)}, ?)`);
  db.transaction(() => {
    for (let row = 0; row < PREFILL; row++) {
      fill.run(
        users[row % 1000],
        `seed-${row}`,
        now,
        null,
        ...schema.values(`type.kind${row % 7}`, row % 10 === 0 ? 'topic' : null),
        row % 5 < 3 ? now : null,
      );
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const single = db.prepare(`INSERT INTO notification_recipients (${schema.columns}) VALUES ${placeholders} RETURNING cursor`);
  const count = db.prepare(`SELECT COUNT(*) AS count FROM notification_recipients WHERE user_id = ? AND ${UNREAD}`);
  let notification = 0;
  const fanOut = (topic) => {
    notification++;
    for (let start = 0; start < users.length; start += 500) {
      const part = users.slice(start, start + 500);
      db.prepare(
        `INSERT INTO notification_recipients (${schema.columns}) VALUES ${part.map(() => placeholders).join(', ')} RETURNING cursor, user_id`,
      ).all(part.flatMap((userId) => [userId, `n${notification}`, now, null, ...schema.values('type.kind1', topic)]));
    }
  };
  const p2p = () => {
    for (const userId of users) {
      notification++;
      single.get(userId, `n${notification}`, now, null, ...schema.values('type.kind2', null));
      count.get(userId, now);
    }
  };
  return { name, db, ways: { 'fan-out 1,000': () => fanOut(null), 'topic 1,000': () => fanOut('topic'), '1,000 p2p sends + counts': p2p } };
});

const totals = {};
for (let round = 0; round < 12; round++) {
  for (const { name, db, ways } of round % 2 === 0 ? databases : [...databases].reverse()) {
    for (const [way, run] of Object.entries(ways)) {
      const start = process.hrtime.bigint();
      db.transaction(run)();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (round >= 2) (totals[`${way} | ${name}`] ??= []).push(ms);
    }
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const against = (way, name, base) => {
  const [value, reference] = [median(totals[`${way} | ${name}`]), median(totals[`${way} | ${base}`])];
  return `${name} ${value.toFixed(2)} ms (${((value / reference - 1) * 100).toFixed(0)} % against ${base})`;
};
for (const way of Object.keys(databases[0].ways)) {
  console.log(
    `${way}: before ${median(totals[`${way} | before`]).toFixed(2)} ms, ${against(way, 'after', 'before')}, ` +
      `${against(way, 'states', 'after')}, ${against(way, 'topicType', 'states')}`,
  );
}
for (const { db } of databases) db.close();
fs.rmSync(directory, { recursive: true, force: true });

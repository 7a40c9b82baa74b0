// What tenant-qualified user keys cost the inbox's hot statements on SQLite: the same schema
// (the inbox rows' indexes as migrated) in databases whose user ids are plain (`user-42`),
// keyed by the tenant's number as the module keys them now (`3:user-42`, and a four-digit
// number, `4812:user-42`), qualified by the tenant id as the module did before migration
// 1766050000000 (the bench's tenant, `12:bench-tenant:user-42`; a short one,
// `7:t000042:user-42`; a UUID, `36:<uuid>:user-42`), and with the tenant last
// (`user-42:bench-tenant:12`), so that keys do not share a long first part.
// Each round stores 1,000 single-recipient sends, five per commit (as group commit batches a
// burst), each with its unread count, for 2,000 users; rounds alternate, medians of 16, and
// the median of each round's time against plain's in the same round.
//
//   taskset -c 0 node bench/micro/tenant-key-length.js
const Database = require('better-sqlite3');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SCHEMA = `CREATE TABLE notification_recipients (cursor INTEGER PRIMARY KEY AUTOINCREMENT, user_id varchar(255) NOT NULL,
    notification_id varchar(36) NOT NULL, created_at varchar NOT NULL, expires_at varchar, delivered_at varchar,
    read_at varchar, seen_at varchar, archived_at varchar, type varchar(100), topic varchar(100));
  CREATE UNIQUE INDEX uq_notification_user ON notification_recipients (notification_id, user_id);
  CREATE INDEX idx_user_cursor ON notification_recipients (user_id, cursor);
  CREATE INDEX idx_undelivered ON notification_recipients (user_id, cursor) WHERE delivered_at IS NULL AND archived_at IS NULL;
  CREATE INDEX idx_unread ON notification_recipients (user_id, cursor, seen_at, expires_at, type, topic, read_at, archived_at)
    WHERE read_at IS NULL AND archived_at IS NULL;
  CREATE INDEX idx_type ON notification_recipients (user_id, type, cursor) WHERE archived_at IS NULL;`;
const UUID_TENANT = '0b6f3a52-8e1d-4c7a-9f25-3d8e6c1b7a40';
const KEYS = {
  plain: (id) => id,
  'numbered, tenant 3': (id) => `3:${id}`,
  'numbered, tenant 4812': (id) => `4812:${id}`,
  'qualified, 12-character tenant': (id) => `12:bench-tenant:${id}`,
  'qualified, 36-character tenant (a UUID)': (id) => `36:${UUID_TENANT}:${id}`,
  'qualified, 7-character tenant': (id) => `7:t000042:${id}`,
  // The same parts, the tenant last: keys of different users differ from the first character.
  'tenant last, 12-character tenant': (id) => `${id}:bench-tenant:12`,
};
const users = Array.from({ length: 2000 }, (_, index) => `user-${index}`);
const now = new Date().toISOString();
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-key-length-'));

const variants = Object.entries(KEYS).map(([name, key], index) => {
  const db = new Database(path.join(directory, `${index}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insert = db.prepare(
    'INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic) VALUES (?, ?, ?, ?, ?, ?) RETURNING cursor',
  );
  const count = db.prepare(
    'SELECT COUNT(*) AS count FROM notification_recipients WHERE user_id = ? AND read_at IS NULL AND archived_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
  );
  let sent = 0;
  const commit = db.transaction(() => {
    for (let send = 0; send < 5; send++) {
      sent++;
      const userId = key(users[(sent * 7919) % users.length]);
      insert.get(userId, `n-${String(sent).padStart(12, '0')}`, now, null, 'bench.kind1', null);
      count.get(userId, now);
    }
  });
  return { name, db, round: () => Array.from({ length: 200 }, commit) };
});

const times = new Map(variants.map(({ name }) => [name, []]));
for (let round = 0; round < 20; round++) {
  for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) {
    const start = process.hrtime.bigint();
    variant.round();
    if (round >= 4) times.get(variant.name).push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const plain = median(times.get('plain'));
// Paired: each round's time against plain's in the same round, so that a load that comes and
// goes on a shared machine weighs on both sides of each ratio; the median of those ratios.
const percent = (ratio) => `${((ratio - 1) * 100).toFixed(0)} %`;
for (const [name, values] of times) {
  const value = median(values);
  const paired = median(values.map((time, round) => time / times.get('plain')[round]));
  console.log(
    `${name}: ${value.toFixed(1)} ms per 1,000 sends (${percent(value / plain)} against plain; paired by round ${percent(paired)})`,
  );
}
for (const { db } of variants) db.close();
fs.rmSync(directory, { recursive: true, force: true });

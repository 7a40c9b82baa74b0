// Lab: five concurrent 1,000-user sends (disjoint users), current bucket locks vs shared buckets + per-user row locks.
const { Client } = require('/work/main/node_modules/pg');
const { storeDirectSend } = require('/work/main/dist/persistence/direct-send.postgres');
const { randomUUID } = require('node:crypto');
function toPg(text) { let i = 0; return text.replace(/\?/g, () => `$${++i}`); }
async function capture(userIds, online) {
  let captured;
  const uow = { writeInOneRoundTrip: async (statements) => { captured = statements; return [[], []]; } };
  const now = new Date().toISOString();
  const content = { id: randomUUID(), type: 'bench', title: 'hi', body: null, data: { k: 1 }, priority: 'normal', topic: null,
    createdAt: now, expiresAt: null, critical: false, actions: [], groupKey: null };
  await storeDirectSend(uow, content, 'sender', userIds, null, online, now);
  return captured;
}
const SHARED = `SELECT pg_advisory_xact_lock_shared(7318001, bucket) FROM (
  SELECT DISTINCT (hashtextextended(user_id, 0) & 1023)::int AS bucket FROM unnest($1::text[]) AS user_id ORDER BY bucket) AS buckets`;
const ROWS = `INSERT INTO lab_inbox_locks (user_id) SELECT DISTINCT user_id FROM unnest($1::text[]) AS user_id ORDER BY 1
  ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id`;
(async () => {
  const mode = process.argv[2];
  const clients = await Promise.all(Array.from({ length: 5 }, async () => { const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/lab' }); await c.connect(); return c; }));
  await clients[0].query('CREATE TABLE IF NOT EXISTS lab_inbox_locks (user_id varchar(255) PRIMARY KEY)');
  for (let round = 0; round < 8; round++) {
    const t0 = performance.now();
    const times = await Promise.all(clients.map(async (c, i) => {
      const users = Array.from({ length: 1000 }, (_, j) => `f-${i * 1000 + j}`);
      const [lock, store] = await capture(users, users);
      await c.query('BEGIN');
      if (mode === 'rows') { await c.query(SHARED, [users]); await c.query(ROWS, [users]); }
      else await c.query(toPg(lock.text), lock.values);
      await c.query(toPg(store.text), store.values);
      await c.query('COMMIT');
      return performance.now() - t0;
    }));
    console.log(mode, 'round', round, times.map((t) => t.toFixed(0)).join(' '), 'ms');
  }
  await Promise.all(clients.map((c) => c.end()));
})();

// Lab: time the direct-send statement for 1,000 users on PostgreSQL, by its parts.
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
(async () => {
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/lab' });
  await c.connect();
  const mode = process.argv[2] ?? 'analyze';
  const users = Array.from({ length: 1000 }, (_, i) => `f-${i + Number(process.argv[3] ?? 0)}`);
  for (let round = 0; round < Number(process.argv[4] ?? 5); round++) {
    const [lock, store] = await capture(users, users);
    await c.query('BEGIN');
    const t0 = process.hrtime.bigint();
    await c.query(toPg(lock.text), lock.values);
    const t1 = process.hrtime.bigint();
    if (mode === 'analyze' && round === Number(process.argv[4] ?? 5) - 1) {
      const { rows } = await c.query('EXPLAIN (ANALYZE, BUFFERS, VERBOSE) ' + toPg(store.text), store.values);
      console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
    } else await c.query(toPg(store.text), store.values);
    const t2 = process.hrtime.bigint();
    await c.query('COMMIT');
    const t3 = process.hrtime.bigint();
    console.log(`round ${round}: lock ${Number(t1 - t0) / 1e6} ms, store ${Number(t2 - t1) / 1e6} ms, commit ${Number(t3 - t2) / 1e6} ms`);
  }
  await c.end();
})();

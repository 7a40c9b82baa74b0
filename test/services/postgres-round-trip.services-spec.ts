import { DataSource } from 'typeorm';
import { executeInOneRoundTrip } from '../../src/persistence/postgres-round-trip';
import { createDatabase, freePort, migratedDataSource } from './support/services';
import { TcpProxy } from './support/tcp-proxy';

/**
 * The one-round-trip writes prepare their statements once per pooled connection: a
 * connection whose statements were dropped behind the module's back (DISCARD ALL, as some
 * poolers do) prepares them again, and a failed statement rolls back the whole message.
 */
describe('executeInOneRoundTrip on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createDatabase();
    await (await migratedDataSource(database.url)).destroy();
    // One connection, so every call below meets the statements prepared by the one before.
    dataSource = await new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const subscribe = (userId: string, options?: { genericPlans?: boolean }) =>
    executeInOneRoundTrip(
      dataSource,
      [
        { text: `SELECT count(*) AS "before" FROM notification_topic_subscriptions WHERE user_id = ?`, values: [userId] },
        {
          text: `INSERT INTO notification_topic_subscriptions (topic, user_id, created_at) VALUES (?, ?, ?) RETURNING user_id AS "userId"`,
          values: ['news', userId, new Date().toISOString()],
        },
      ],
      options,
    );

  it('prepares once, runs again after the statements were discarded, and writes values verbatim', async () => {
    expect(await subscribe(`it's "a" \\ user`)).toEqual([[{ before: '0' }], [{ userId: `it's "a" \\ user` }]]);
    const prepared = await dataSource.query(`SELECT count(*) AS "count" FROM pg_prepared_statements WHERE name LIKE 'nln_%'`);
    expect(prepared).toEqual([{ count: '2' }]);
    // Discarded behind the module's back: written in unprepared this once, prepared again after.
    await dataSource.query('DISCARD ALL');
    expect(await subscribe('second')).toEqual([[{ before: '0' }], [{ userId: 'second' }]]);
    expect(await subscribe('third')).toEqual([[{ before: '0' }], [{ userId: 'third' }]]);
    expect(await dataSource.query(`SELECT count(*) AS "count" FROM pg_prepared_statements WHERE name LIKE 'nln_%'`)).toEqual([
      { count: '2' },
    ]);
  });

  it('stores nothing of a message whose later statement fails', async () => {
    await expect(subscribe('second')).rejects.toThrow(/duplicate key/);
    await expect(
      executeInOneRoundTrip(dataSource, [
        {
          text: `INSERT INTO notification_topic_subscriptions (topic, user_id, created_at) VALUES (?, ?, ?)`,
          values: ['news', 'fourth', 'x'],
        },
        { text: `SELECT 1 / ? AS "boom"`, values: [0] },
      ]),
    ).rejects.toThrow(/division by zero/);
    expect(await dataSource.query(`SELECT user_id FROM notification_topic_subscriptions WHERE user_id = 'fourth'`)).toEqual([]);
  });

  it('with genericPlans, runs each statement by the plan made once, and leaves the connection as it found it', async () => {
    // Left to itself PostgreSQL plans a prepared statement again for the first executions'
    // values, and for the send's statement (an array of users) for every one.
    // Counted from scratch: the first call below finds its statements gone and runs them
    // unprepared, the next prepares them again.
    await dataSource.query('DEALLOCATE ALL');
    for (const userId of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7']) await subscribe(userId, { genericPlans: true });
    expect(
      await dataSource.query(
        `SELECT custom_plans::int AS "custom", generic_plans::int AS "generic" FROM pg_prepared_statements WHERE name LIKE 'nln_%'`,
      ),
    ).toEqual([
      { custom: 0, generic: 6 },
      { custom: 0, generic: 6 },
    ]);
    // SET LOCAL: the host's own statements on this pooled connection plan as they always did.
    expect(await dataSource.query('SHOW plan_cache_mode')).toEqual([{ plan_cache_mode: 'auto' }]);
  });

  it('rejects a call whose connection is lost under it, and the pool goes on with a new one', async () => {
    // The node reaches PostgreSQL through a proxy the test cuts mid-statement, as when the
    // network goes away: no goodbye from the server, the socket just ends. The pool stops
    // listening to a connection it hands out, so an 'error' nobody hears would end the process.
    const proxy = new TcpProxy(await freePort(), { host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) });
    await proxy.open();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const cuttable = await new DataSource({ type: 'postgres', url: viaProxy.toString(), extra: { max: 1 } }).initialize();
    try {
      const sleeping = executeInOneRoundTrip(cuttable, [{ text: `SELECT pg_sleep(?)`, values: [5] }]);
      // Cut once PostgreSQL runs it, so the loss comes mid-statement, not before it was sent.
      const running = () =>
        dataSource.query(`SELECT count(*)::int AS "count" FROM pg_stat_activity WHERE query LIKE 'EXECUTE nln_%' AND state = 'active'`);
      while ((await running())[0].count === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await proxy.cut();
      // The socket ends (a reset, if anything was still unread, is the same loss).
      await expect(sleeping).rejects.toThrow(/Connection terminated unexpectedly|ECONNRESET/);
      await proxy.open();
      expect(await executeInOneRoundTrip(cuttable, [{ text: `SELECT 1 AS "back"`, values: [] }])).toEqual([[{ back: 1 }]]);
    } finally {
      await cuttable.destroy();
      await proxy.cut();
    }
  });
});

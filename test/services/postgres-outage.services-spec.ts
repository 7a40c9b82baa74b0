import { request, send } from '../support/http';
import { senderToken } from '../support/tokens';
import { eventually, uniqueUser } from './support/cluster';
import { NodeProcess } from './support/node-process';
import { createDatabase, freePort } from './support/services';
import { TcpProxy } from './support/tcp-proxy';

// The node reaches PostgreSQL through a proxy the test can cut, so the shared cluster keeps
// running for everyone else while this node loses its database.
describe('A node whose PostgreSQL goes away', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let proxy: TcpProxy;
  let node: NodeProcess;

  beforeAll(async () => {
    database = await createDatabase();
    proxy = new TcpProxy(await freePort(), { host: '127.0.0.1', port: Number(new URL(database.url).port || 5432) });
    await proxy.open();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    node = await NodeProcess.start('node-pg', { DATABASE_URL: viaProxy.toString() });
  });

  afterAll(async () => {
    await node?.stop();
    await proxy?.cut();
    await database?.drop();
  });

  it('answers 503 on POST and /health, stores nothing half-written, and recovers when it returns', async () => {
    const user = uniqueUser('pg');
    expect((await send(node.baseUrl, senderToken(), { userIds: [user], title: 'before' })).status).toBe(201);
    expect((await request(node.baseUrl, 'GET', '/health')).status).toBe(200);

    await proxy.cut();
    const refused = await send(node.baseUrl, senderToken(), { userIds: [user, uniqueUser('pg')], title: 'during' });
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ statusCode: 503, message: expect.any(String), error: 'Service Unavailable' });
    expect((await request(node.baseUrl, 'GET', '/health')).status).toBe(503);
    expect(node.isRunning).toBe(true);

    await proxy.open();
    await eventually(
      async () => (await request(node.baseUrl, 'GET', '/health')).status,
      (status) => status === 200,
      '/health to recover',
    );
    expect((await send(node.baseUrl, senderToken(), { userIds: [user], title: 'after' })).status).toBe(201);
    const rows = await database.query(
      `SELECT n.title, COUNT(r.cursor)::int AS recipients FROM notifications n LEFT JOIN notification_recipients r ON r.notification_id = n.id
       GROUP BY n.title ORDER BY n.title`,
    );
    expect(rows).toEqual([
      { title: 'after', recipients: 1 },
      { title: 'before', recipients: 1 },
    ]);
  });
});

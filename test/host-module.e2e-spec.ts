import { DataSource } from 'typeorm';
import { NotificationsService } from '../src/index';
import { HostApps, ReportsModule, ReportsService, RestrictedTopicsPolicy } from './support/host-app';
import { request, send } from './support/http';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('A host app that imports NotificationsModule', () => {
  const hosts = new HostApps();
  const bootHost = (options?: Parameters<HostApps['boot']>[0]) => hosts.boot(options);
  const databaseOptions = () => hosts.databaseOptions();
  afterEach(() => hosts.closeAll());
  afterAll(() => hosts.remove());

  it('serves the gateway on its configured path and the REST routes, with its own sender rule', async () => {
    const host = await bootHost();
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');

    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const sent = await send(host.baseUrl, ops, { userIds: ['buyer'], title: 'From REST' });
    expect(sent.status).toBe(201);
    expect((await client.next('notification')).data.title).toBe('From REST');
    const refused = await send(host.baseUrl, tokenFor('x', { scope: 'notifications:send' }), { userIds: ['buyer'] });
    expect(refused.status).toBe(403);

    const order = await request(host.baseUrl, 'POST', '/orders');
    expect(order.body).toEqual({ id: expect.any(String), recipients: 1, online: 1 });
    const frames = await client.waitFor('notification', 2);
    expect(frames[1].data).toMatchObject({ id: order.body.id, type: 'order.created', title: 'Order received' });

    await client.close();
  });

  it("refuses hostile send bodies with a 400 behind the host's own body parser (audit 2, 3)", async () => {
    const host = await bootHost();
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const post = (extra: string) =>
      request(host.baseUrl, 'POST', '/notifications', {
        token: ops,
        rawBody: `{"userIds":["hostile"],"type":"t","title":"t",${extra}}`,
        headers: { 'content-type': 'application/json' },
      });
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const tooDeep = { status: 400, body: { message: expect.stringMatching(/nest.*32 levels/) } };
    // Express parses these (V8's JSON.parse is iterative); the module's own checks must not recurse through them.
    expect(await post(`"data":{"a":${deep(5000)}}`)).toMatchObject(tooDeep);
    expect(await post(`"sneaky":${deep(30000)}`)).toMatchObject(tooDeep);
    expect(await post(`"__proto__":{"a":1}`)).toMatchObject({ status: 400, body: { message: ['property __proto__ should not exist'] } });
    expect(await post(`"hasOwnProperty":1`)).toMatchObject({
      status: 400,
      body: { message: ['property hasOwnProperty should not exist'] },
    });
    expect((await request(host.baseUrl, 'GET', '/notifications', { token: tokenFor('hostile') })).body.items).toEqual([]);
  });

  it("lets the host's policy decide who may join a topic: a user cannot join a restricted one by themself", async () => {
    const host = await bootHost({ senderPolicy: new RestrictedTopicsPolicy() });
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const subscribe = (topic: string, userId: string, token: string) =>
      request(host.baseUrl, 'PUT', `/topics/${topic}/subscribers/${userId}`, { token });

    // Not the caller's to join: 404, as for anything not theirs, and nothing is stored.
    const refused = await subscribe('finance-admins', 'alice', tokenFor('alice'));
    expect(refused.status).toBe(404);
    expect(refused.body.message).not.toMatch(/finance/);
    expect((await send(host.baseUrl, ops, { topic: 'finance-admins', title: 'Q4 payroll' })).body.recipients).toBe(0);

    // The policy's own yes: a sender adds her; an open topic she joins by herself.
    expect((await subscribe('finance-admins', 'alice', ops)).status).toBe(204);
    expect((await subscribe('lunch', 'alice', tokenFor('alice'))).status).toBe(204);
    expect((await send(host.baseUrl, ops, { topic: 'finance-admins', title: 'Q4 payroll' })).body.recipients).toBe(1);
    // Someone else's subscription, not being a sender: 403 as before.
    expect((await subscribe('lunch', 'carol', tokenFor('bob'))).status).toBe(403);
  });

  it('keeps the default topic rule for a policy without canSubscribe: a user themself, a sender anyone', async () => {
    const host = await bootHost();
    const subscribe = (userId: string, token: string) =>
      request(host.baseUrl, 'PUT', `/topics/finance-admins/subscribers/${userId}`, { token });
    expect((await subscribe('alice', tokenFor('alice'))).status).toBe(204);
    expect((await subscribe('bob', tokenFor('ops-bot', { claims: { roles: ['ops'] } }))).status).toBe(204);
    expect((await subscribe('carol', tokenFor('alice', { scope: 'notifications:send' }))).status).toBe(403);
  });

  it('with isGlobal, a module that does not import it injects NotificationsService and delivers through it', async () => {
    const host = await bootHost({ isGlobal: true, imports: [ReportsModule] });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('analyst')}`);
    await client.next('ready');

    const reports = host.app.select(ReportsModule).get(ReportsService, { strict: true });
    expect(reports.notifications).toBe(host.app.get(NotificationsService));
    const sent = await reports.reportReady('analyst');
    expect((await client.next('notification')).data).toMatchObject({ id: sent.id, type: 'report.ready' });

    await client.close();
  });

  it('without isGlobal, a module that does not import it cannot inject NotificationsService', async () => {
    // The host's DataSource is ready before the boot fails, so no connection attempt outlives the test.
    const dataSource = await new DataSource(databaseOptions()).initialize();
    try {
      await expect(bootHost({ imports: [ReportsModule], dataSource })).rejects.toThrow(
        /Nest can't resolve dependencies of the ReportsService \(\?\)[\s\S]*ReportsModule/,
      );
      // Nest rejects on the first provider it cannot build while it goes on building the others
      // (promise chains, no I/O): they have all settled by the next macrotask. Without this
      // wait they load class-validator after the test file's environment is gone.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      await dataSource.destroy();
    }
  });
});

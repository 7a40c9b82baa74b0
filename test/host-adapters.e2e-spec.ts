import { io } from 'socket.io-client';
import { HostApps } from './support/host-app';
import { request, send } from './support/http';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** The module inside hosts that have WebSocket gateways, route prefixes and RouterModule of their own. */
describe('A host app with its own gateways and routes', () => {
  const hosts = new HostApps();
  const bootHost = (options?: Parameters<HostApps['boot']>[0]) => hosts.boot(options);
  afterEach(() => hosts.closeAll());
  afterAll(() => hosts.remove());

  it("keeps the host's Socket.IO gateway on Nest's default adapter working beside its own WebSocket", async () => {
    const host = await bootHost({ chatGateway: true });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');
    const chat = io(host.baseUrl, { path: '/chat', transports: ['websocket'], reconnection: false });
    try {
      const answer = await new Promise((resolve, reject) => {
        chat.on('connect_error', reject);
        // The gateway answers with { event, data }: Socket.IO emits it as that event.
        chat.on('hello', resolve);
        chat.emit('hello', 'host');
      });
      expect(answer).toBe('hello host');
      const order = await request(host.baseUrl, 'POST', '/orders');
      expect((await client.next('notification')).data).toMatchObject({ id: order.body.id, type: 'order.created' });
    } finally {
      chat.close();
      await client.close();
    }
  });

  it("keeps the host's own ws gateway working when the host uses WsAdapter", async () => {
    const host = await bootHost({ chatGateway: true, adapter: 'ws' });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');
    const chat = await TestClient.connect(`${host.wsUrl}/chat`);
    chat.socket.send(JSON.stringify({ event: 'hello', data: 'host' }));
    expect((await chat.next('hello')).data).toBe('hello host');
    const order = await request(host.baseUrl, 'POST', '/orders');
    expect((await client.next('notification')).data).toMatchObject({ id: order.body.id });
    await Promise.all([chat.close(), client.close()]);
  });

  it("serves its REST routes under the host's global prefix, and the WebSocket on its own path", async () => {
    const host = await bootHost({ globalPrefix: 'api' });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    expect((await send(host.baseUrl, ops, { userIds: ['buyer'], title: 'unprefixed' })).status).toBe(404);
    const sent = await request(host.baseUrl, 'POST', '/api/notifications', {
      token: ops,
      body: { userIds: ['buyer'], type: 't', title: 'prefixed' },
    });
    expect(sent.status).toBe(201);
    expect((await client.next('notification')).data.title).toBe('prefixed');
    const listed = await request(host.baseUrl, 'GET', '/api/notifications', { token: tokenFor('buyer') });
    expect(listed.body.items.map((item: { title: string }) => item.title)).toEqual(['prefixed']);
    await client.close();
  });

  it("mounts its REST routes under a RouterModule path, out of the way of the host's own", async () => {
    const host = await bootHost({ routerPath: 'notify' });
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const sent = await request(host.baseUrl, 'POST', '/notify/notifications', {
      token: ops,
      body: { userIds: ['buyer'], type: 't', title: 'mounted' },
    });
    expect(sent.status).toBe(201);
    expect((await request(host.baseUrl, 'GET', '/notify/notifications/unread-count', { token: tokenFor('buyer') })).body).toEqual({
      count: 1,
    });
    expect((await request(host.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor('buyer') })).status).toBe(404);
  });
});

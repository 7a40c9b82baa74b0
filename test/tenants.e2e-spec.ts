import { DataSource } from 'typeorm';
import { eventually } from './support/eventually';
import { HttpResult, request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';
import { SseTestClient } from './support/sse-client';

const CLAIM = 'tenant';
const user = (tenant: string, sub = 'u1') => tokenFor(sub, { claims: { [CLAIM]: tenant } });
const sender = (tenant: string, sub = 'svc') => tokenFor(sub, { scope: 'notifications:send', claims: { [CLAIM]: tenant } });
const admin = (tenant: string) => tokenFor('ops', { scope: 'notifications:admin notifications:send', claims: { [CLAIM]: tenant } });

/** Tenants A and B with the same user ids, topic names and keys: nothing of one reaches the other. */
describe('Tenants', () => {
  let server: TestServer;
  /** Every body and frame the tenants saw: no qualified key may be among them. */
  const seen: unknown[] = [];
  const call = async (method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>) => {
    const response: HttpResult = await request(server.baseUrl, method, path, { token, body, headers });
    seen.push(response.body);
    return response;
  };

  beforeAll(async () => {
    server = await startServer({ env: { TENANT_CLAIM: CLAIM } });
  });
  afterAll(() => server.close());

  it('refuses tokens without a usable tenant claim with 401, at the handshake and on REST', async () => {
    const bad = [
      tokenFor('u1'),
      tokenFor('u1', { claims: { [CLAIM]: '' } }),
      tokenFor('u1', { claims: { [CLAIM]: 'x'.repeat(101) } }),
      tokenFor('u1', { claims: { [CLAIM]: 42 } }),
      tokenFor('u1', { claims: { [CLAIM]: ['acme'] } }),
      tokenFor('u'.repeat(245), { claims: { [CLAIM]: 'x'.repeat(100) } }),
    ];
    for (const token of bad) {
      expect((await request(server.baseUrl, 'GET', '/notifications', { token })).status).toBe(401);
      await expect(TestClient.open(server.wsUrl, token)).rejects.toMatchObject({ status: 401 });
    }
    const refused = await send(server.baseUrl, tokenFor('svc', { scope: 'notifications:send' }), { userIds: ['u1'] });
    expect(refused.status).toBe(401);
    expect((await call('GET', '/notifications', user('x'.repeat(100)))).status).toBe(200);
    // In any tenant, a user id has 244 characters: the key's prefix is the tenant's number, not its id.
    expect((await call('GET', '/notifications', user('x'.repeat(100), 'u'.repeat(244)))).status).toBe(200);
  });

  it('keeps inboxes, topics, broadcasts and idempotency keys of two tenants apart', async () => {
    const [a, b] = [await TestClient.open(server.wsUrl, user('acme')), await TestClient.open(server.wsUrl, user('globex'))];
    expect(a.frames[0].data.userId).toBe('u1');
    for (const tenant of ['acme', 'globex']) {
      expect((await call('PUT', '/topics/finance/subscribers/u1', user(tenant))).status).toBe(204);
    }
    const key = { 'idempotency-key': 'same-key' };
    const direct = await call('POST', '/notifications', sender('acme'), { type: 't.a', title: 'A direct', userIds: ['u1'] }, key);
    expect(direct).toMatchObject({ status: 201, body: { recipients: 1, online: 1 } });
    // The same key in the other tenant is another sender's key: a send of its own.
    const other = await call('POST', '/notifications', sender('globex'), { type: 't.b', title: 'B direct', userIds: ['u1'] }, key);
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(direct.body.id);
    const topic = await call('POST', '/notifications', sender('acme'), { type: 't.a', title: 'A topic', topic: 'finance' });
    expect(topic.body.recipients).toBe(1);
    await call('POST', '/notifications', sender('acme'), { type: 't.a', title: 'A broadcast', broadcast: true });
    await a.waitFor('notification', 3);
    await b.waitFor('notification', 1);
    await b.roundTrip();
    expect(b.all('notification').map((frame) => frame.data.title)).toEqual(['B direct']);
    seen.push(...a.frames, ...b.frames);

    // A user who connects later finds their own tenant's broadcast only.
    const late = await call('GET', '/notifications', user('globex', 'late'));
    expect(late.body.items).toEqual([]);
    const lateA = await call('GET', '/notifications', user('acme', 'late'));
    expect(lateA.body.items.map((item: { title: string }) => item.title)).toEqual(['A broadcast']);

    const listA = await call('GET', '/notifications', user('acme'));
    expect(listA.body.items.map((item: { title: string }) => item.title)).toEqual(['A broadcast', 'A topic', 'A direct']);
    expect(listA.body.items[1].topic).toBe('finance');
    expect((await call('GET', '/notifications/unread-count', user('globex'))).body).toEqual({ count: 1 });

    // B cannot read, archive or audit A's notifications: 404, as for anything not theirs.
    expect((await call('POST', `/notifications/${direct.body.id}/read`, user('globex'))).status).toBe(404);
    expect((await call('DELETE', `/notifications/${direct.body.id}`, user('globex'))).status).toBe(404);
    expect((await call('GET', `/notifications/${direct.body.id}/deliveries`, admin('globex'))).status).toBe(404);
    expect((await call('POST', '/notifications/read-all', user('globex'))).body).toEqual({ count: 1 });
    expect((await call('GET', '/notifications/unread-count', user('acme'))).body).toEqual({ count: 3 });

    const sentB = await call('GET', '/notifications/sent', admin('globex'));
    expect(sentB.body.items.map((item: { title: string }) => item.title)).toEqual(['B direct']);
    expect(sentB.body.items[0].senderId).toBe('svc');
    const deliveries = await call('GET', `/notifications/${direct.body.id}/deliveries`, admin('acme'));
    expect(deliveries.body.items).toEqual([expect.objectContaining({ userId: 'u1', channel: 'websocket' })]);
    await Promise.all([a.close(), b.close()]);
  });

  it('scopes presence, revocation, preferences and user data to the tenant of the administrator', async () => {
    const [a, b] = [await TestClient.open(server.wsUrl, user('acme', 'p1')), await TestClient.open(server.wsUrl, user('globex', 'p1'))];
    expect((await call('GET', '/presence/p1', admin('acme'))).body).toEqual({ online: true, sessions: 1 });
    expect((await call('GET', '/presence/p1', admin('initech'))).body).toEqual({ online: false, sessions: 0 });

    const prefs = { types: { 'quiet.*': { inApp: false } } };
    expect((await call('PUT', '/users/p1/preferences', admin('acme'), prefs)).status).toBe(200);
    expect((await call('GET', '/preferences', user('globex', 'p1'))).body.types).toEqual({});

    expect((await call('POST', '/users/p1/revoke', admin('acme'))).status).toBe(204);
    expect(await a.waitForClose()).toBe(4403);
    await b.roundTrip();
    expect(b.closeCode).toBeUndefined();
    await eventually(
      () => call('GET', '/presence/p1', admin('globex')),
      (response) => response.body.online === true,
    );

    const exported = await call('GET', '/users/u1/data', admin('acme'));
    expect(exported.body.userId).toBe('u1');
    expect(exported.body.topicSubscriptions).toEqual([expect.objectContaining({ topic: 'finance' })]);
    await b.close();
  });

  it('sends without a key (one round trip on PostgreSQL) and holds sends within the tenant', async () => {
    const [a, b] = [await TestClient.open(server.wsUrl, user('acme', 'd1')), await TestClient.open(server.wsUrl, user('globex', 'd1'))];
    const direct = await call('POST', '/notifications', sender('globex'), { type: 't.b', title: 'B only', userIds: ['d1', 'd2'] });
    expect(direct.body).toMatchObject({ recipients: 2, online: 1 });
    expect((await b.next('notification')).data.title).toBe('B only');
    await a.roundTrip();
    // Its own tenant's broadcast from before, in its backlog: nothing of B.
    expect(a.all('notification').map((frame) => frame.data.title)).toEqual(['A broadcast']);

    const deliverAt = new Date(Date.now() + 3_600_000).toISOString();
    const held = await call('POST', '/notifications', sender('acme'), { type: 't.a', title: 'Later', userIds: ['d1'], deliverAt });
    expect(held.status).toBe(201);
    const heldTopic = await call('POST', '/notifications', sender('acme'), { type: 't.a', title: 'Later', topic: 'ops', deliverAt });
    const listed = await call('GET', '/notifications/scheduled', sender('acme'));
    expect(listed.body.items.map((item: { userIds: string[] | null; topic: string | null }) => [item.userIds, item.topic])).toEqual([
      [['d1'], null],
      [null, 'ops'],
    ]);
    expect((await call('GET', '/notifications/scheduled', sender('globex'))).body.items).toEqual([]);
    expect((await call('DELETE', `/notifications/scheduled/${heldTopic.body.id}`, sender('globex'))).status).toBe(404);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses user ids that do not fit with the tenant, storing nothing', async () => {
    const tenant = 't'.repeat(100);
    const tooLong = 'u'.repeat(245);
    const refused = await call('POST', '/notifications', sender(tenant), { type: 't.a', title: 'x', userIds: [tooLong] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/userIds/);
    expect((await call('GET', `/presence/${tooLong}`, admin(tenant))).status).toBe(400);
    expect((await call('PUT', `/topics/news/subscribers/${tooLong}`, sender(tenant))).status).toBe(400);
    const exportRefused = await call('GET', `/users/${tooLong}/data`, admin(tenant));
    expect([exportRefused.status, exportRefused.body.message]).toEqual([400, expect.stringMatching(/^userId is too long/)]);
    expect((await call('DELETE', `/users/${tooLong}/data`, admin(tenant))).status).toBe(400);
    expect((await call('GET', '/notifications/sent', admin(tenant))).body.items).toEqual([]);
  });

  it('takes the tenant from the token on the event stream too', async () => {
    const bad = await SseTestClient.open(server.baseUrl, { token: tokenFor('s1') });
    expect(bad.response.status).toBe(401);
    const stream = await SseTestClient.connect(server.baseUrl, user('globex', 's1'));
    expect(stream.all('ready')[0].data.userId).toBe('s1');
    await call('POST', '/notifications', sender('acme'), { type: 't.a', title: 'A s1', userIds: ['s1'] });
    await call('POST', '/notifications', sender('globex'), { type: 't.b', title: 'B s1', userIds: ['s1'] });
    const [first] = await stream.waitFor('notification');
    expect(first.data.title).toBe('B s1');
    seen.push(...stream.events.map((event) => event.data));
    stream.close();
  });

  it("keys what it stores by the tenant's number, whatever the tenant id looks like", async () => {
    // Tenant ids that look like a number, like a key of either form, or hold ":".
    const tenants = ['42', '1', 'a:b', ':', '7:acme:', '3:u-odd'];
    for (const tenant of tenants) {
      const sent = await call('POST', '/notifications', sender(tenant), {
        type: 't.odd',
        title: `odd ${tenants.indexOf(tenant)}`,
        userIds: ['u-odd'],
      });
      expect(sent.status).toBe(201);
    }
    for (const tenant of tenants) {
      const inbox = await call('GET', '/notifications', user(tenant, 'u-odd'));
      expect(inbox.body.items.map((item: { title: string }) => item.title)).toEqual([`odd ${tenants.indexOf(tenant)}`]);
    }
    const database = server.app.get(DataSource);
    const numbers = new Map<string, number>(
      (await database.query('SELECT number, tenant_id AS "tenantId" FROM notification_tenants')).map(
        (row: { number: number; tenantId: string }) => [row.tenantId, Number(row.number)],
      ),
    );
    expect(new Set(tenants.map((tenant) => numbers.get(tenant))).size).toBe(tenants.length);
    const keys = (await database.query('SELECT user_id AS "userId" FROM notification_recipients')).map(
      (row: { userId: string }) => row.userId,
    );
    expect(keys.filter((key: string) => key.endsWith(':u-odd')).sort()).toEqual(
      tenants.map((tenant) => `${numbers.get(tenant)}:u-odd`).sort(),
    );
    // Every key of a tenant: its number, ":", the id. None of the old `<length>:<tenant id>:` form.
    expect(keys.every((key: string) => /^[1-9]\d*:/.test(key) && !/^\d+:(acme|globex):/.test(key))).toBe(true);
  });

  it('never lets a stored key reach a client', () => {
    // `<tenant number>:<id>`: no string a client got starts with digits and ":" (nor has the old `4:acme:` form).
    expect(JSON.stringify(seen)).not.toMatch(/"\d+:/);
    expect(JSON.stringify(seen)).not.toMatch(/\d+:(acme|globex):/);
  });
});

import { DataSource } from 'typeorm';
import { runSql } from '../src/persistence/sql';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { waitUntil } from './support/wait';
import { TestClient } from './support/ws-client';

describe('Audiences: topics and broadcast', () => {
  let server: TestServer;
  const sender = senderToken();
  const clients: TestClient[] = [];
  const open = async (userId: string) => {
    const client = await TestClient.open(server.wsUrl, tokenFor(userId));
    clients.push(client);
    return client;
  };
  const subscribe = (topic: string, userId: string, token = sender) =>
    request(server.baseUrl, 'PUT', `/topics/${topic}/subscribers/${userId}`, { token });
  const inbox = async (userId: string) => (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items;

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => server.close());

  describe('topic subscriptions', () => {
    it('lets a sender manage anyone and a user only themself (403 otherwise)', async () => {
      expect((await subscribe('team', 'alice')).status).toBe(204);
      expect((await subscribe('team', 'alice')).status).toBe(204);
      expect((await subscribe('team', 'bob', tokenFor('bob'))).status).toBe(204);
      expect((await subscribe('team', 'carol', tokenFor('bob'))).status).toBe(403);
      expect((await request(server.baseUrl, 'PUT', '/topics/team/subscribers/bob')).status).toBe(401);
      expect((await subscribe('bad topic!', 'bob')).status).toBe(400);
      const removed = await request(server.baseUrl, 'DELETE', '/topics/team/subscribers/bob', { token: tokenFor('bob') });
      expect(removed.status).toBe(204);
      const refused = await request(server.baseUrl, 'DELETE', '/topics/team/subscribers/alice', { token: tokenFor('bob') });
      expect(refused.status).toBe(403);

      const response = await send(server.baseUrl, sender, { topic: 'team', title: 'Only alice' });
      expect(response.body).toEqual({ id: expect.any(String), recipients: 1, online: 0, suppressed: 0 });
      expect(await inbox('bob')).toHaveLength(0);
    });
  });

  it('reaches every subscriber, online now or later, each with their own cursor and read state', async () => {
    for (const userId of ['fin-1', 'fin-2', 'fin-3']) await subscribe('finance', userId);
    const online = await open('fin-1');
    const stranger = await open('not-finance');

    const response = await send(server.baseUrl, sender, { topic: 'finance', title: 'Expense to check', data: { expenseId: 'e1' } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), recipients: 3, online: 1, suppressed: 0 });
    const live = await online.next('notification');
    expect(live.data).toMatchObject({ id: response.body.id, topic: 'finance', title: 'Expense to check', data: { expenseId: 'e1' } });
    expect((await online.next('unread')).data).toEqual({ count: 1, unseen: 1 });

    const later = await open('fin-2');
    expect(later.frames[0].data.unreadCount).toBe(1);
    const replayed = await later.next('notification');
    expect(replayed.data).toMatchObject({ id: response.body.id, topic: 'finance' });
    expect(replayed.data.cursor).not.toBe(live.data.cursor);

    online.send('read', { ids: [response.body.id] });
    await online.waitFor('unread', 2);
    expect((await inbox('fin-1'))[0].readAt).toEqual(expect.any(String));
    expect((await inbox('fin-3'))[0].readAt).toBeNull();
    await stranger.roundTrip();
    expect(stranger.all('notification')).toHaveLength(0);
  });

  it('answers a repeated topic send with the same Idempotency-Key with the first result, storing nothing new', async () => {
    await subscribe('once', 'idem-user');
    const headers = { 'idempotency-key': 'topic-send-1' };
    const first = await send(server.baseUrl, sender, { topic: 'once', title: 'Once' }, headers);
    const again = await send(server.baseUrl, sender, { topic: 'once', title: 'Once' }, headers);
    expect(again.body).toEqual(first.body);
    expect((await inbox('idem-user')).map((item: { id: string }) => item.id)).toEqual([first.body.id]);
  });

  it('stores and returns the text of a topic send verbatim, null bytes included', async () => {
    await subscribe('verbatim', 'nul-topic-user');
    const client = await open('nul-topic-user');
    const text = { title: 'a\u0000b \u0001 <b>😀</b>', body: 'line\u0000\u00010 end' };
    const response = await send(server.baseUrl, sender, { topic: 'verbatim', ...text });
    expect(response.status).toBe(201);
    expect((await client.next('notification')).data).toMatchObject({ id: response.body.id, ...text });
    expect(await inbox('nul-topic-user')).toEqual([expect.objectContaining({ id: response.body.id, ...text })]);
  });

  it('answers concurrent repeats of a topic send with one Idempotency-Key with the first result, storing one notification', async () => {
    await subscribe('once-concurrent', 'idem-race-user');
    const headers = { 'idempotency-key': 'topic-send-concurrent' };
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => send(server.baseUrl, sender, { topic: 'once-concurrent', title: 'Once' }, headers)),
    );
    expect(responses.map((response) => response.status)).toEqual(new Array(8).fill(201));
    expect(new Set(responses.map((response) => JSON.stringify(response.body))).size).toBe(1);
    expect((await inbox('idem-race-user')).map((item: { id: string }) => item.id)).toEqual([responses[0].body.id]);
  });

  it('fans a large topic out in pages: every subscriber gets it exactly once', async () => {
    const subscribers = Array.from({ length: 1203 }, (_, index) => `bulk-${String(index).padStart(4, '0')}`);
    // Subscribing is not under test here: insert the subscriptions directly, in bulk.
    const database = server.app.get(DataSource);
    for (let start = 0; start < subscribers.length; start += 400) {
      const page = subscribers.slice(start, start + 400);
      await runSql(
        database.manager,
        `INSERT INTO notification_topic_subscriptions (topic, user_id, created_at) VALUES ${page.map(() => "('bulk', ?, '2026-01-01T00:00:00.000Z')").join(', ')}`,
        page,
      );
    }
    const [first, middle, last] = [await open(subscribers[0]), await open(subscribers[600]), await open(subscribers[1202])];

    const response = await send(server.baseUrl, sender, { topic: 'bulk', title: 'To everyone in bulk' });
    expect(response.body).toMatchObject({ recipients: 1203, online: 3 });
    for (const client of [first, middle, last]) expect((await client.next('notification')).data.id).toBe(response.body.id);
    expect(await inbox(subscribers[1201])).toEqual([expect.objectContaining({ id: response.body.id })]);
  });

  describe('exactly one audience', () => {
    it.each([
      [{}, /none/],
      [{ userIds: ['a'], topic: 'finance' }, /userIds, topic/],
      [{ topic: 'finance', broadcast: true }, /topic, broadcast/],
      [{ broadcast: false }, /none/],
    ])('refuses %p with 400 naming the fields', async (audience, message) => {
      const response = await send(server.baseUrl, sender, audience);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/userIds, topic or broadcast/);
      expect(response.body.message).toMatch(message);
    });

    it('refuses a bad topic name or deliverAt with 400 naming the field', async () => {
      const badTopic = await send(server.baseUrl, sender, { topic: 'no spaces' });
      expect(badTopic.status).toBe(400);
      expect(JSON.stringify(badTopic.body.message)).toMatch(/topic/);
      const badTime = await send(server.baseUrl, sender, { userIds: ['a'], deliverAt: 'tomorrow' });
      expect(badTime.status).toBe(400);
      expect(JSON.stringify(badTime.body.message)).toMatch(/deliverAt/);
    });
  });

  describe('broadcast', () => {
    it('reaches every connected session now and every user who connects later, stored once', async () => {
      const [tab, phone, other] = [await open('b-1'), await open('b-1'), await open('b-2')];
      const response = await send(server.baseUrl, sender, { broadcast: true, title: 'Maintenance tonight' });
      expect(response.status).toBe(201);
      expect(response.body.online).toBeGreaterThanOrEqual(2);
      for (const session of [tab, phone, other]) {
        expect((await session.next('notification')).data).toMatchObject({ id: response.body.id, title: 'Maintenance tonight' });
      }

      const newcomer = await open('b-new');
      expect(newcomer.frames[0].data.unreadCount).toBeGreaterThanOrEqual(1);
      const replayed = await newcomer.waitFor('notification', 1);
      expect(replayed.map((frame) => frame.data.id)).toContain(response.body.id);

      // Each user has their own read state.
      tab.send('read', { ids: [response.body.id] });
      await phone.waitFor('unread', 2);
      const listed = await inbox('b-2');
      expect(listed.find((item: { id: string }) => item.id === response.body.id).readAt).toBeNull();
      const offline = await inbox('b-never-connected');
      expect(offline.map((item: { id: string }) => item.id)).toContain(response.body.id);
      // One notification row; inbox rows only for the users who were online or came by since.
      const database = server.app.get(DataSource);
      const query = async (sql: string) => (await runSql(database.manager, sql, [response.body.id])).rows;
      const [{ stored }] = await query(`SELECT COUNT(*) AS stored FROM notifications WHERE id = ?`);
      expect(Number(stored)).toBe(1);
      const inboxes = await query(`SELECT user_id FROM notification_recipients WHERE notification_id = ?`);
      expect(inboxes.map((row: { user_id: string }) => row.user_id).sort()).toEqual(['b-1', 'b-2', 'b-never-connected', 'b-new']);
    });

    it('stores and returns the text of a broadcast verbatim, null bytes included', async () => {
      const connected = await open('b-nul-now');
      // Earlier broadcasts of this suite are replayed first (a pong follows the replay).
      await connected.roundTrip();
      const replayed = connected.all('notification').length;
      const text = { title: 'broadcast\u0000 \u0001', body: '\u0000' };
      const response = await send(server.baseUrl, sender, { broadcast: true, ...text });
      expect(response.status).toBe(201);
      const live = (await connected.waitFor('notification', replayed + 1))[replayed];
      expect(live.data).toMatchObject({ id: response.body.id, ...text });
      const later = await inbox('b-nul-later');
      expect(later.find((item: { id: string }) => item.id === response.body.id)).toMatchObject(text);
    });

    it('is not given to users who connect after it expired', async () => {
      const response = await send(server.baseUrl, sender, { broadcast: true, title: 'Short-lived', ttlSeconds: 1 });
      const before = await inbox('b-early');
      expect(before.map((item: { id: string }) => item.id)).toContain(response.body.id);
      await waitUntil(async () => !(await inbox('b-early')).some((item: { id: string }) => item.id === response.body.id));
      expect((await inbox('b-late')).map((item: { id: string }) => item.id)).not.toContain(response.body.id);
    });
  });
});

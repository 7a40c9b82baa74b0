import { DataSource } from 'typeorm';
import { IdempotencyKeyEntity } from '../src/notifications/entities/idempotency-key.entity';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('REST routes', () => {
  let server: TestServer;
  const sender = senderToken();
  const list = (userId: string, query = '') => request(server.baseUrl, 'GET', `/notifications${query}`, { token: tokenFor(userId) });

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  describe('POST /notifications', () => {
    it('stores the notification with every field and answers 201', async () => {
      const response = await send(server.baseUrl, sender, {
        userIds: ['r-full'],
        type: 'expense.approved',
        title: '<b>Approved</b> 🎉',
        body: 'line\u0000with null byte',
        data: { expenseId: 'e-1', nested: { amount: 12.5 } },
        priority: 'high',
        ttlSeconds: 3600,
      });
      expect(response.status).toBe(201);
      const [item] = (await list('r-full')).body.items;
      expect(item).toMatchObject({
        id: response.body.id,
        type: 'expense.approved',
        title: '<b>Approved</b> 🎉',
        body: 'line\u0000with null byte',
        data: { expenseId: 'e-1', nested: { amount: 12.5 } },
        priority: 'high',
      });
      expect(Date.parse(item.expiresAt) - Date.parse(item.createdAt)).toBe(3600_000);
    });

    // On PostgreSQL null bytes are stored escaped (postgres-text.ts), two characters each: the
    // longest titles the limit allows must still fit. The validator does not count U+FE0F after
    // a character, so "\0\uFE0F" is one character of the limit and three stored ones.
    it.each([
      ['200 null bytes', '\u0000'.repeat(200)],
      ['200 escape characters', '\u0001'.repeat(200)],
      ['200 null bytes each followed by U+FE0F', '\u0000\uFE0F'.repeat(200)],
    ])('stores the longest title allowed, made of %s, and returns it verbatim', async (_, title) => {
      const user = `r-long-title-${title.length}-${title.charCodeAt(0)}`;
      const response = await send(server.baseUrl, sender, { userIds: [user], title, body: title });
      expect(response.status).toBe(201);
      const [item] = (await list(user)).body.items;
      expect(item).toMatchObject({ id: response.body.id, title, body: title });
      const session = await TestClient.open(server.wsUrl, tokenFor(user));
      expect((await session.next('notification')).data).toMatchObject({ id: response.body.id, title, body: title });
      await session.close();
    });

    it('counts distinct recipients', async () => {
      const response = await send(server.baseUrl, sender, { userIds: ['r-a', 'r-b', 'r-c'] });
      expect(response.body).toMatchObject({ recipients: 3, online: 0 });
    });

    it.each([
      ['userIds', { userIds: [] }],
      ['userIds', { userIds: 'r-x' }],
      ['userIds', { userIds: ['r-x', 'r-x'] }],
      ['userIds', { userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`) }],
      ['userIds', { userIds: [''] }],
      ['type', { userIds: ['r-x'], type: 'Bad Type!' }],
      ['type', { userIds: ['r-x'], type: 'x'.repeat(101) }],
      ['title', { userIds: ['r-x'], title: 'x'.repeat(201) }],
      ['title', { userIds: ['r-x'], title: '' }],
      ['body', { userIds: ['r-x'], body: 'x'.repeat(5001) }],
      ['data', { userIds: ['r-x'], data: [1, 2] }],
      ['data', { userIds: ['r-x'], data: { blob: 'x'.repeat(16 * 1024) } }],
      ['priority', { userIds: ['r-x'], priority: 'urgent' }],
      ['ttlSeconds', { userIds: ['r-x'], ttlSeconds: 0 }],
      ['ttlSeconds', { userIds: ['r-x'], ttlSeconds: 'soon' }],
      ['sneaky', { userIds: ['r-x'], sneaky: true }],
    ])('answers 400 naming %s, and stores nothing', async (field, body) => {
      const response = await send(server.baseUrl, sender, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(response.body.message)).toContain(field);
      expect((await list('r-x')).body.items).toEqual([]);
    });

    it('answers 401 without a token or with a bad one, and stores nothing', async () => {
      const body = { userIds: ['r-refused-401'], type: 't', title: 't' };
      const none = await request(server.baseUrl, 'POST', '/notifications', { body });
      const bad = await request(server.baseUrl, 'POST', '/notifications', { body, token: 'nope' });
      for (const response of [none, bad]) {
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
      expect((await list('r-refused-401')).body.items).toEqual([]);
    });

    it('answers 403 to a token without the send scope, and stores nothing', async () => {
      const response = await send(server.baseUrl, tokenFor('r-user'), { userIds: ['r-refused-403'] });
      expect(response.status).toBe(403);
      expect(response.body.message).toContain('notifications:send');
      expect((await list('r-refused-403')).body.items).toEqual([]);
    });

    it('answers 415 to a body that is not declared JSON, and stores nothing', async () => {
      // A valid JSON body under another media type: only the declared type is wrong.
      const response = await request(server.baseUrl, 'POST', '/notifications', {
        token: sender,
        rawBody: JSON.stringify({ userIds: ['r-refused-415'], type: 't', title: 't' }),
        headers: { 'content-type': 'text/plain' },
      });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ statusCode: 415 });
      const form = await request(server.baseUrl, 'POST', '/notifications', {
        token: sender,
        rawBody: 'userIds=r-refused-415&type=t&title=t',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
      expect((await list('r-refused-415')).body.items).toEqual([]);
    });

    it('answers 413 to a body over 64 KiB, and stores nothing', async () => {
      const response = await send(server.baseUrl, sender, { userIds: ['r-refused-413'], body: 'x'.repeat(70 * 1024) });
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ statusCode: 413 });
      expect((await list('r-refused-413')).body.items).toEqual([]);
    });

    it('answers 400 to malformed JSON', async () => {
      const response = await request(server.baseUrl, 'POST', '/notifications', {
        token: sender,
        rawBody: '{"userIds": [',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400 });
      expect((await list('r-x')).body.items).toEqual([]);
    });

    it('honours Idempotency-Key per sender: a repeat returns the first result and stores nothing', async () => {
      const headers = { 'idempotency-key': 'order-42' };
      const first = await send(server.baseUrl, sender, { userIds: ['r-idem'], title: 'once' }, headers);
      const repeat = await send(server.baseUrl, sender, { userIds: ['r-idem'], title: 'once' }, headers);
      expect(repeat.status).toBe(201);
      expect(repeat.body).toEqual(first.body);
      expect((await list('r-idem')).body.items).toHaveLength(1);
      const otherSender = await send(server.baseUrl, senderToken('sender-2'), { userIds: ['r-idem'] }, headers);
      expect(otherSender.body.id).not.toBe(first.body.id);
      expect((await list('r-idem')).body.items).toHaveLength(2);
    });

    it('answers concurrent repeats of one Idempotency-Key with the first result, storing one notification', async () => {
      const headers = { 'idempotency-key': 'order-43-concurrent' };
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => send(server.baseUrl, sender, { userIds: ['r-idem-race'], title: 'once' }, headers)),
      );
      expect(responses.map((response) => response.status)).toEqual(new Array(8).fill(201));
      expect(new Set(responses.map((response) => JSON.stringify(response.body))).size).toBe(1);
      const items = (await list('r-idem-race')).body.items;
      expect(items.map((item: { id: string }) => item.id)).toEqual([responses[0].body.id]);
    });

    it('keeps an Idempotency-Key for 24 h: a repeat inside the window stores nothing, one after it stores anew', async () => {
      const headers = { 'idempotency-key': 'daily-digest' };
      const idempotentSend = () => send(server.baseUrl, sender, { userIds: ['r-idem-window'], title: 'digest' }, headers);
      // The key's stored time moves back instead of the clock moving forward.
      const ageKey = (ageMs: number) =>
        server.app
          .get(DataSource)
          .getRepository(IdempotencyKeyEntity)
          .update({ senderId: 'sender', key: headers['idempotency-key'] }, { createdAt: new Date(Date.now() - ageMs).toISOString() });
      const hour = 60 * 60 * 1000;

      const first = await idempotentSend();
      await ageKey(24 * hour - 60_000);
      expect((await idempotentSend()).body).toEqual(first.body);
      expect((await list('r-idem-window')).body.items).toHaveLength(1);

      await ageKey(24 * hour + 1000);
      const afterWindow = await idempotentSend();
      expect(afterWindow.status).toBe(201);
      expect(afterWindow.body.id).not.toBe(first.body.id);
      const items = (await list('r-idem-window')).body.items.map((item: { id: string }) => item.id);
      expect(items).toEqual([afterWindow.body.id, first.body.id]);
      // The new answer is the one the key now repeats.
      expect((await idempotentSend()).body).toEqual(afterWindow.body);
      expect((await list('r-idem-window')).body.items).toHaveLength(2);
    });

    it('refuses an Idempotency-Key over 255 characters with 400, and stores nothing', async () => {
      const response = await send(server.baseUrl, sender, { userIds: ['r-x'] }, { 'idempotency-key': 'k'.repeat(256) });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('Idempotency-Key');
      expect((await list('r-x')).body.items).toEqual([]);
    });
  });

  describe('the inbox', () => {
    const user = 'r-inbox';
    const ids: string[] = [];

    beforeAll(async () => {
      for (let index = 0; index < 5; index++) {
        ids.push((await send(server.baseUrl, sender, { userIds: [user], title: `n${index}` })).body.id);
      }
    });

    it('lists newest first and pages with before/nextCursor', async () => {
      const first = await list(user, '?limit=2');
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([ids[4], ids[3]]);
      const second = await list(user, `?limit=2&before=${first.body.nextCursor}`);
      expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
      const last = await list(user, `?limit=2&before=${second.body.nextCursor}`);
      expect(last.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    });

    it('refuses bad list queries with 400', async () => {
      for (const query of ['?limit=0', '?limit=101', '?limit=x', '?before=abc', '?unread=maybe']) {
        expect((await list(user, query)).status).toBe(400);
      }
    });

    it('counts unread, marks one read (204) and filters with unread=true', async () => {
      const count = () => request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor(user) });
      expect((await count()).body).toEqual({ count: 5 });
      const read = await request(server.baseUrl, 'POST', `/notifications/${ids[0]}/read`, { token: tokenFor(user) });
      expect(read.status).toBe(204);
      expect((await count()).body).toEqual({ count: 4 });
      const unread = await list(user, '?unread=true');
      expect(unread.body.items.map((item: { id: string }) => item.id)).not.toContain(ids[0]);
      expect((await list(user)).body.items.find((item: { id: string }) => item.id === ids[0]).readAt).toEqual(expect.any(String));
    });

    it("answers 404 when marking read someone else's or an unknown notification", async () => {
      const mine = await send(server.baseUrl, sender, { userIds: ['r-owner'] });
      for (const id of [mine.body.id, 'no-such-id']) {
        const response = await request(server.baseUrl, 'POST', `/notifications/${id}/read`, { token: tokenFor(user) });
        expect(response.status).toBe(404);
      }
      expect((await list('r-owner')).body.items[0].readAt).toBeNull();
    });

    it('marks all read, pushing the new count to open sessions', async () => {
      const session = await TestClient.open(server.wsUrl, tokenFor(user));
      const response = await request(server.baseUrl, 'POST', '/notifications/read-all', { token: tokenFor(user) });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ count: 4 });
      expect((await session.next('unread')).data).toEqual({ count: 0 });
      await session.close();
    });

    it('archives with DELETE: gone from lists and from replay; 404 when not theirs', async () => {
      const archived = await request(server.baseUrl, 'DELETE', `/notifications/${ids[4]}`, { token: tokenFor(user) });
      expect(archived.status).toBe(204);
      expect((await list(user)).body.items.map((item: { id: string }) => item.id)).not.toContain(ids[4]);
      const session = await TestClient.open(server.wsUrl, tokenFor(user), '0');
      await session.roundTrip();
      expect(session.all('notification').map((frame) => frame.data.id)).toEqual(ids.slice(0, 4));
      await session.close();
      const again = await request(server.baseUrl, 'DELETE', `/notifications/${ids[4]}`, { token: tokenFor(user) });
      expect(again.status).toBe(404);
      const other = await request(server.baseUrl, 'DELETE', `/notifications/${ids[3]}`, { token: tokenFor('r-else') });
      expect(other.status).toBe(404);
    });

    it('pushes unread {count} to every session of the user after marking one read and after archiving an unread one', async () => {
      const owner = 'r-unread-push';
      const sent = [];
      for (let index = 0; index < 3; index++) sent.push((await send(server.baseUrl, sender, { userIds: [owner] })).body.id);
      const tabs = [await TestClient.open(server.wsUrl, tokenFor(owner)), await TestClient.open(server.wsUrl, tokenFor(owner))];
      const otherUser = await TestClient.open(server.wsUrl, tokenFor('r-unread-bystander'));
      await Promise.all(tabs.map((tab) => tab.waitFor('notification', 3)));
      expect(tabs.flatMap((tab) => tab.all('unread'))).toEqual([]);

      const read = await request(server.baseUrl, 'POST', `/notifications/${sent[0]}/read`, { token: tokenFor(owner) });
      expect(read.status).toBe(204);
      for (const tab of tabs) expect((await tab.waitFor('unread', 1))[0].data).toEqual({ count: 2 });

      const archived = await request(server.baseUrl, 'DELETE', `/notifications/${sent[1]}`, { token: tokenFor(owner) });
      expect(archived.status).toBe(204);
      for (const tab of tabs) expect((await tab.waitFor('unread', 2))[1].data).toEqual({ count: 1 });

      await otherUser.roundTrip();
      expect(otherUser.all('unread')).toEqual([]);
      await Promise.all([...tabs, otherUser].map((client) => client.close()));
    });

    it('requires a token on every inbox route', async () => {
      for (const [method, path] of [
        ['GET', '/notifications'],
        ['GET', '/notifications/unread-count'],
        ['POST', '/notifications/read-all'],
        ['POST', `/notifications/${ids[0]}/read`],
        ['DELETE', `/notifications/${ids[0]}`],
      ]) {
        expect((await request(server.baseUrl, method, path)).status).toBe(401);
      }
    });
  });

  it('answers GET /health without a token', async () => {
    const response = await request(server.baseUrl, 'GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
  });
});

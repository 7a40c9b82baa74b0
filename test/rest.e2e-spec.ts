import { DataSource } from 'typeorm';
import { IdempotencyKeyEntity } from '../src/persistence/entities/idempotency-key.entity';
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

  it('takes ?access_token= only where headers cannot be set (upgrade, event stream), never on other routes', async () => {
    const alice = encodeURIComponent(tokenFor('alice'));
    for (const [method, path] of [
      ['GET', `/notifications?access_token=${alice}`],
      ['GET', `/notifications/unread-count?access%5Ftoken=${alice}`],
      ['POST', `/notifications/read-all?access_token=${alice}`],
      ['PUT', `/topics/finance/subscribers/alice?access_token=${alice}`],
    ]) {
      const response = await request(server.baseUrl, method, path);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.body.message).toMatch(/access_token is accepted only .*Authorization: Bearer/);
    }
    const sent = await request(server.baseUrl, 'POST', `/notifications?access_token=${encodeURIComponent(senderToken())}`, {
      body: { userIds: ['alice'], type: 'test.event', title: 'Hello' },
    });
    expect(sent.status).toBe(401);
    // The event stream still takes it (EventSource cannot set a header); test/sse.e2e-spec.ts reads its events.
    const stream = await fetch(`${server.baseUrl}/notifications/stream?access_token=${alice}`);
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
  });

  it('answers GET /health without a token', async () => {
    const response = await request(server.baseUrl, 'GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });
  });
});

import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/**
 * Ids that cannot be ids (audit finding 1): a notification id is a UUID, a user id 1 to 255
 * characters without U+0000 or an unpaired surrogate (PostgreSQL text can hold neither).
 * Anything else is refused where it is parsed, as bad input, on every engine; the service
 * suite runs this spec again on PostgreSQL, where such an id used to fail the statement.
 */
describe('Ids that cannot be ids', () => {
  let server: TestServer;
  const sender = senderToken();

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  describe('in ack and read frames', () => {
    it.each([
      ['a NUL byte', 'x\u0000'],
      ['an unpaired surrogate', '\uD800'],
      ['no UUID', 'not-a-notification'],
      ['an over-long id', 'a'.repeat(256)],
    ])('answers an id with %s with an error frame and keeps the session', async (_, badId) => {
      const client = await TestClient.open(server.wsUrl, tokenFor('frames-bad-id'));
      const validId = '0190b1b2-0000-7000-8000-000000000000';
      for (const event of ['ack', 'read']) {
        const errors = client.all('error').length;
        client.send(event, { ids: [validId, badId] });
        const error = (await client.waitFor('error', errors + 1))[errors];
        expect(error.data).toEqual({
          code: 'NOTIFICATIONS_ERR_BAD_DATA',
          message: expect.stringMatching(/^(ack|read) needs .*notification ids \(UUIDs\)/),
        });
      }
      await client.roundTrip();
      expect(client.closeCode).toBeUndefined();
      await client.close();
    });

    it("stores a bystander's ack sent together with an ack of a NUL id", async () => {
      const sent = await send(server.baseUrl, sender, { userIds: ['bystander'] });
      const bystander = await TestClient.open(server.wsUrl, tokenFor('bystander'));
      const mallory = await TestClient.open(server.wsUrl, tokenFor('mallory'));
      await bystander.next('notification');
      mallory.socket.send('{"event":"ack","data":{"ids":["x\\u0000"]}}');
      bystander.send('ack', { ids: [sent.body.id] });
      expect((await mallory.next('error')).data.code).toBe('NOTIFICATIONS_ERR_BAD_DATA');
      await bystander.roundTrip();
      expect(bystander.all('error')).toEqual([]);
      const [item] = (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('bystander') })).body.items;
      expect(item).toMatchObject({ id: sent.body.id, deliveredAt: expect.any(String) });
      await Promise.all([bystander.close(), mallory.close()]);
    });
  });

  describe('in REST routes', () => {
    it.each([
      ['POST', '/notifications/a%00b/read'],
      ['DELETE', '/notifications/a%00b'],
      ['POST', '/notifications/not-a-notification/read'],
    ])('answers %s %s with 400 naming the id', async (method, path) => {
      const response = await request(server.baseUrl, method, path, { token: tokenFor('rest-bad-id') });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/^id must be a notification id \(a UUID\)/);
    });

    it('still answers 404 for a notification id that is not the caller’s', async () => {
      const sent = await send(server.baseUrl, sender, { userIds: ['owner'] });
      const response = await request(server.baseUrl, 'POST', `/notifications/${sent.body.id}/read`, { token: tokenFor('stranger') });
      expect(response.status).toBe(404);
    });

    it.each([
      ['a NUL byte', 'a\u0000b'],
      ['an unpaired high surrogate', 'a\uD800'],
      ['an unpaired low surrogate', '\uDC00b'],
    ])('refuses userIds with %s with 400 naming userIds and stores nothing', async (_, badUserId) => {
      const response = await send(server.baseUrl, sender, { userIds: ['userids-kept-out', badUserId] });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toMatch(/userIds/);
      const inbox = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('userids-kept-out') });
      expect(inbox.body.items).toEqual([]);
    });

    it('accepts user ids made of any other characters, astral ones included', async () => {
      const userId = 'ana 😀 \u0001\u00e9';
      const response = await send(server.baseUrl, sender, { userIds: [userId] });
      expect(response.status).toBe(201);
      const inbox = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) });
      expect(inbox.body.items.map((item: { id: string }) => item.id)).toEqual([response.body.id]);
    });

    it.each([
      ['PUT', '/topics/finance/subscribers/a%00b', senderToken()],
      ['DELETE', '/topics/finance/subscribers/a%00b', senderToken()],
      ['POST', '/users/a%00b/revoke', adminToken()],
      ['GET', '/presence/a%00b', adminToken()],
    ])('answers %s %s with 400 naming userId', async (method, path, token) => {
      const response = await request(server.baseUrl, method, path, { token });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/^userId must be/);
    });

    it('refuses a token whose sub holds a NUL byte, on REST and on the upgrade', async () => {
      const token = tokenFor('token\u0000sub');
      expect((await request(server.baseUrl, 'GET', '/notifications', { token })).status).toBe(401);
      await expect(TestClient.open(server.wsUrl, token)).rejects.toMatchObject({ status: 401 });
    });
  });
});

import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('REST routes: the inbox', () => {
  let server: TestServer;
  const sender = senderToken();
  const list = (userId: string, query = '') => request(server.baseUrl, 'GET', `/notifications${query}`, { token: tokenFor(userId) });

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  describe('listing, counting, reading, archiving', () => {
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
      // An unknown id, well formed: one that cannot be an id is a 400 (test/ids.e2e-spec.ts).
      for (const id of [mine.body.id, '0190b1b2-0000-7000-8000-000000000404']) {
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
      expect((await session.next('unread')).data).toEqual({ count: 0, unseen: 0 });
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

    it('pushes unread {count, unseen} to every session of the user after marking one read and after archiving an unread one', async () => {
      const owner = 'r-unread-push';
      const sent = [];
      for (let index = 0; index < 3; index++) sent.push((await send(server.baseUrl, sender, { userIds: [owner] })).body.id);
      const tabs = [await TestClient.open(server.wsUrl, tokenFor(owner)), await TestClient.open(server.wsUrl, tokenFor(owner))];
      const otherUser = await TestClient.open(server.wsUrl, tokenFor('r-unread-bystander'));
      await Promise.all(tabs.map((tab) => tab.waitFor('notification', 3)));
      expect(tabs.flatMap((tab) => tab.all('unread'))).toEqual([]);

      const read = await request(server.baseUrl, 'POST', `/notifications/${sent[0]}/read`, { token: tokenFor(owner) });
      expect(read.status).toBe(204);
      for (const tab of tabs) expect((await tab.waitFor('unread', 1))[0].data).toEqual({ count: 2, unseen: 2 });

      const archived = await request(server.baseUrl, 'DELETE', `/notifications/${sent[1]}`, { token: tokenFor(owner) });
      expect(archived.status).toBe(204);
      for (const tab of tabs) expect((await tab.waitFor('unread', 2))[1].data).toEqual({ count: 1, unseen: 1 });

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
});

import { request, send } from './support/http';
import { SseTestClient } from './support/sse-client';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';
import { NotificationsService } from '../src/notifications/notifications.service';

describe('Inbox states: seen, unread again, archive and back, bulk changes', () => {
  let server: TestServer;
  const sender = senderToken();
  const clients: Array<TestClient | SseTestClient> = [];
  const post = (userId: string, path: string, body?: unknown) =>
    request(server.baseUrl, 'POST', `/notifications${path}`, { token: tokenFor(userId), body });
  const list = (userId: string, query = '') => request(server.baseUrl, 'GET', `/notifications${query}`, { token: tokenFor(userId) });
  const counts = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications/counts', { token: tokenFor(userId) })).body;
  const item = async (userId: string, id: string, query = '') =>
    (await list(userId, query)).body.items.find((entry: { id: string }) => entry.id === id);
  const sendTo = async (userId: string, body: Record<string, unknown> = {}) =>
    (await send(server.baseUrl, sender, { userIds: [userId], ...body })).body.id as string;
  const ws = async (userId: string) => {
    const client = await TestClient.open(server.wsUrl, tokenFor(userId));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });
  afterAll(() => server.close());

  it('marks seen over REST without reading, and tells every session (ws and SSE) with state and unread frames', async () => {
    const [first, second] = [await sendTo('s-seen'), await sendTo('s-seen')];
    const socket = await ws('s-seen');
    const stream = await SseTestClient.connect(server.baseUrl, tokenFor('s-seen'));
    clients.push(stream);
    expect(socket.all('ready')[0].data).toEqual(expect.objectContaining({ unreadCount: 2, unseenCount: 2 }));

    expect((await post('s-seen', '/seen', { ids: [first] })).body).toEqual({ count: 1 });
    const state = await socket.next('state');
    expect(state.data).toEqual({ ids: [first], change: 'seen', at: expect.any(String) });
    expect((await socket.next('unread')).data).toEqual({ count: 2, unseen: 1 });
    expect((await stream.next('state')).data).toEqual(state.data);
    expect((await stream.next('unread')).data).toEqual({ count: 2, unseen: 1 });

    const seen = await item('s-seen', first);
    expect(seen.seenAt).toEqual(state.data.at);
    expect(seen.readAt).toBeNull();
    expect(await counts('s-seen')).toEqual(expect.objectContaining({ unread: 2, unseen: 1 }));
    // Seen again: nothing newly seen, no frame.
    expect((await post('s-seen', '/seen', { ids: [first] })).body).toEqual({ count: 0 });
    expect((await post('s-seen', '/seen', { all: true })).body).toEqual({ count: 1 });
    expect((await socket.waitFor('state', 2))[1].data).toEqual({ ids: 'all', change: 'seen', at: expect.any(String) });
    expect((await item('s-seen', second)).seenAt).toEqual(expect.any(String));
  });

  it('takes the seen frame from one session and tells the others', async () => {
    const id = await sendTo('s-frame');
    const [one, two] = [await ws('s-frame'), await ws('s-frame')];
    one.send('seen', { ids: [id, '0190b1b2-0000-7000-8000-000000000404'] });
    for (const client of [one, two]) {
      expect((await client.next('state')).data).toEqual({ ids: [id], change: 'seen', at: expect.any(String) });
      expect((await client.next('unread')).data).toEqual({ count: 1, unseen: 0 });
    }
    one.send('seen', { ids: ['not-an-id'] });
    expect((await one.next('error')).data.code).toBe('NOTIFICATIONS_ERR_BAD_DATA');
  });

  it('reading marks seen; unread again keeps it seen and counts it unread', async () => {
    const id = await sendTo('s-unread');
    const socket = await ws('s-unread');
    expect((await post('s-unread', `/${id}/read`)).status).toBe(204);
    expect((await socket.next('state')).data).toEqual({ ids: [id], change: 'read', at: expect.any(String) });
    expect((await socket.next('unread')).data).toEqual({ count: 0, unseen: 0 });
    expect((await post('s-unread', `/${id}/unread`)).status).toBe(204);
    expect((await socket.waitFor('state', 2))[1].data).toEqual({ ids: [id], change: 'unread', at: expect.any(String) });
    expect((await socket.waitFor('unread', 2))[1].data).toEqual({ count: 1, unseen: 0 });
    const entry = await item('s-unread', id);
    expect(entry).toEqual(expect.objectContaining({ readAt: null, seenAt: expect.any(String) }));
    // Already unread: still 204, no frame.
    expect((await post('s-unread', `/${id}/unread`)).status).toBe(204);
    expect((await list('s-unread', '?unread=true')).body.items.map((entry: { id: string }) => entry.id)).toEqual([id]);
  });

  it('archives and unarchives over REST, archived ones listed with archived=true', async () => {
    const id = await sendTo('s-archive');
    const socket = await ws('s-archive');
    expect((await post('s-archive', `/${id}/archive`)).status).toBe(204);
    expect((await socket.next('state')).data).toEqual({ ids: [id], change: 'archived', at: expect.any(String) });
    expect((await socket.next('unread')).data).toEqual({ count: 0, unseen: 0 });
    expect((await list('s-archive')).body.items).toEqual([]);
    expect((await list('s-archive', '?archived=true')).body.items).toEqual([
      expect.objectContaining({ id, archivedAt: expect.any(String) }),
    ]);
    // Archived already: 404 as v1's DELETE answers; unarchive brings it back.
    expect((await post('s-archive', `/${id}/archive`)).status).toBe(404);
    expect((await post('s-archive', `/${id}/unarchive`)).status).toBe(204);
    expect((await socket.waitFor('state', 2))[1].data).toEqual({ ids: [id], change: 'unarchived', at: expect.any(String) });
    expect((await socket.waitFor('unread', 2))[1].data).toEqual({ count: 1, unseen: 1 });
    expect((await list('s-archive')).body.items).toEqual([expect.objectContaining({ id, archivedAt: null })]);
    expect((await post('s-archive', `/${id}/unarchive`)).status).toBe(204);
    expect((await request(server.baseUrl, 'DELETE', `/notifications/${id}`, { token: tokenFor('s-archive') })).status).toBe(204);
    expect((await socket.waitFor('state', 3))[2].data.change).toBe('archived');
  });

  it("answers 404 for another user's or an unknown notification, and stores nothing", async () => {
    const theirs = await sendTo('s-owner');
    await post('s-owner', `/${theirs}/read`);
    const unknown = '0190b1b2-0000-7000-8000-000000000404';
    for (const id of [theirs, unknown]) {
      for (const path of [`/${id}/unread`, `/${id}/archive`, `/${id}/unarchive`]) {
        expect({ path, status: (await post('s-stranger', path)).status }).toEqual({ path, status: 404 });
      }
    }
    const mine = await sendTo('s-stranger');
    const refused = await post('s-stranger', '/seen', { ids: [mine, theirs] });
    expect(refused.status).toBe(404);
    expect(refused.body.message).toContain(theirs);
    expect((await item('s-stranger', mine)).seenAt).toBeNull();
    expect(await item('s-owner', theirs)).toEqual(expect.objectContaining({ readAt: expect.any(String), archivedAt: null }));
  });

  it('archive-all and read-all take a type (exact or prefix.*), topic and read filter', async () => {
    const user = 's-bulk';
    await request(server.baseUrl, 'PUT', `/topics/bulk-team/subscribers/${user}`, { token: sender });
    const approved = await sendTo(user, { type: 'expense.approved' });
    const rejected = await sendTo(user, { type: 'expense.rejected' });
    const other = await sendTo(user, { type: 'chat.message' });
    const topical = (await send(server.baseUrl, sender, { topic: 'bulk-team', type: 'chat.message' })).body.id;
    const socket = await ws(user);

    expect((await post(user, '/read-all', { topic: 'bulk-team' })).body).toEqual({ count: 1 });
    expect((await socket.next('state')).data).toEqual({ ids: [topical], change: 'read', at: expect.any(String) });
    expect((await post(user, '/read-all', { type: 'expense.approved' })).body).toEqual({ count: 1 });
    expect((await post(user, '/archive-all', { type: 'expense.*', read: false })).body).toEqual({ count: 1 });
    expect((await socket.waitFor('state', 3))[2].data).toEqual({ ids: [rejected], change: 'archived', at: expect.any(String) });
    const remaining = (await list(user)).body.items.map((entry: { id: string }) => entry.id);
    expect(remaining.sort()).toEqual([approved, other, topical].sort());
    expect((await post(user, '/archive-all', { read: true })).body).toEqual({ count: 2 });
    expect((await post(user, '/archive-all')).body).toEqual({ count: 1 });
    expect((await socket.waitFor('state', 5))[4].data).toEqual({ ids: 'all', change: 'archived', at: expect.any(String) });
    expect((await socket.waitFor('unread', 5))[4].data).toEqual({ count: 0, unseen: 0 });
    expect((await list(user)).body.items).toEqual([]);
  });

  it('read-all, seen-all and archive-all reach broadcasts the user has not opened yet', async () => {
    const broadcast = (await send(server.baseUrl, sender, { broadcast: true, title: 'Maintenance' })).body.id;
    expect((await post('s-late-1', '/seen', { all: true })).body.count).toBeGreaterThanOrEqual(1);
    expect((await item('s-late-1', broadcast)).seenAt).toEqual(expect.any(String));
    expect((await post('s-late-2', '/read-all')).body.count).toBeGreaterThanOrEqual(1);
    expect((await item('s-late-2', broadcast)).readAt).toEqual(expect.any(String));
    expect((await post('s-late-3', '/archive-all')).body.count).toBeGreaterThanOrEqual(1);
    expect(await item('s-late-3', broadcast, '?archived=true')).toEqual(expect.objectContaining({ archivedAt: expect.any(String) }));
  });

  it('sends state frames for changes host code makes through NotificationsService', async () => {
    const id = await sendTo('s-host');
    const socket = await ws('s-host');
    const service = server.app.get(NotificationsService);
    await service.markSeen('s-host', [id]);
    expect((await socket.next('state')).data).toEqual({ ids: [id], change: 'seen', at: expect.any(String) });
    await service.markAllRead('s-host');
    expect((await socket.waitFor('state', 2))[1].data).toEqual({ ids: 'all', change: 'read', at: expect.any(String) });
    expect((await socket.waitFor('unread', 2))[1].data).toEqual({ count: 0, unseen: 0 });
  });
});

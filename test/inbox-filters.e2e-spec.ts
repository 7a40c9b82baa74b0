import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

describe('Inbox filters and counts: GET /notifications?… and GET /notifications/counts', () => {
  let server: TestServer;
  const sender = senderToken();
  const user = 'f-user';
  const ids: Record<string, string> = {};
  const list = (query: string, userId = user) => request(server.baseUrl, 'GET', `/notifications${query}`, { token: tokenFor(userId) });
  const idsOf = async (query: string) => {
    const response = await list(query);
    expect(response.status).toBe(200);
    return response.body.items.map((item: { id: string }) => item.id);
  };
  let middle = '';

  beforeAll(async () => {
    server = await startServer();
    await request(server.baseUrl, 'PUT', `/topics/f-finance/subscribers/${user}`, { token: sender });
    const sendTo = async (name: string, body: Record<string, unknown>) => {
      ids[name] = (await send(server.baseUrl, sender, { userIds: [user], ...body })).body.id;
    };
    await sendTo('approved', { type: 'expense.approved' });
    await sendTo('rejected', { type: 'expense.rejected' });
    // `since` is inclusive and has milliseconds: a later millisecond than the sends before it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    middle = new Date().toISOString();
    await sendTo('underscore', { type: 'expense_x.approved' });
    ids.finance = (await send(server.baseUrl, sender, { topic: 'f-finance', type: 'expense.approved' })).body.id;
    await sendTo('chat', { type: 'chat.message' });
    await request(server.baseUrl, 'POST', `/notifications/${ids.rejected}/read`, { token: tokenFor(user) });
    await request(server.baseUrl, 'POST', '/notifications/seen', { token: tokenFor(user), body: { ids: [ids.chat] } });
    await request(server.baseUrl, 'POST', `/notifications/${ids.underscore}/archive`, { token: tokenFor(user) });
  });
  afterAll(() => server.close());

  it('filters by exact type and by prefix (a "_" in a type is no wildcard)', async () => {
    expect(await idsOf('?type=expense.approved')).toEqual([ids.finance, ids.approved]);
    expect(await idsOf('?type=expense.*')).toEqual([ids.finance, ids.rejected, ids.approved]);
    expect(await idsOf('?type=expense_x.*&archived=true')).toEqual([ids.underscore]);
    expect(await idsOf('?type=chat.*')).toEqual([ids.chat]);
  });

  it('filters by topic, since (createdAt), seen and archived, and composes them with unread and before paging', async () => {
    expect(await idsOf('?topic=f-finance')).toEqual([ids.finance]);
    expect(await idsOf(`?since=${encodeURIComponent(middle)}`)).toEqual([ids.chat, ids.finance]);
    // A read notification counts as seen.
    expect(await idsOf('?seen=false')).toEqual([ids.finance, ids.approved]);
    expect(await idsOf('?seen=true')).toEqual([ids.chat, ids.rejected]);
    expect(await idsOf('?archived=true')).toEqual([ids.underscore]);
    expect(await idsOf('?type=expense.*&unread=true')).toEqual([ids.finance, ids.approved]);
    const first = await list('?type=expense.*&limit=1');
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([ids.finance]);
    expect(await idsOf(`?type=expense.*&limit=5&before=${first.body.nextCursor}`)).toEqual([ids.rejected, ids.approved]);
  });

  it('counts unread and unseen, and the unread by type and by topic, over unarchived ones', async () => {
    const response = await request(server.baseUrl, 'GET', '/notifications/counts', { token: tokenFor(user) });
    expect(response.body).toEqual({
      unread: 3,
      unseen: 2,
      byType: { 'expense.approved': 2, 'chat.message': 1 },
      byTopic: { 'f-finance': 1 },
    });
    const stranger = await request(server.baseUrl, 'GET', '/notifications/counts', { token: tokenFor('f-nobody') });
    expect(stranger.body).toEqual({ unread: 0, unseen: 0, byType: {}, byTopic: {} });
    expect((await request(server.baseUrl, 'GET', '/notifications/counts')).status).toBe(401);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['?archived=maybe', 'archived'],
      ['?seen=1', 'seen'],
      ['?type=Expense', 'type'],
      ['?type=expense.%25', 'type'],
      ['?type=.*x', 'type'],
      [`?type=${'a'.repeat(101)}`, 'type'],
      ['?topic=a%20b', 'topic'],
      ['?since=yesterday', 'since'],
      ['?since=2026-13-01T00:00:00Z', 'since'],
      ['?type=a&type=b', 'type'],
      ['?after=0&type=a', 'type'],
    ];
    for (const [query, field] of cases) {
      const response = await list(query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect({ query, message: JSON.stringify(response.body.message) }).toEqual({ query, message: expect.stringContaining(field) });
    }
  });

  it('refuses bad bodies of seen, read-all and archive-all with 400 naming the field, changing nothing', async () => {
    const before = (await request(server.baseUrl, 'GET', '/notifications/counts', { token: tokenFor(user) })).body;
    const cases: Array<[string, unknown, string]> = [
      ['/seen', {}, 'ids or all'],
      ['/seen', { ids: [] }, 'ids'],
      ['/seen', { ids: ['x'] }, 'ids'],
      ['/seen', { ids: [ids.chat], all: true }, 'all'],
      ['/seen', { all: false }, 'all'],
      ['/seen', { all: null }, 'all'],
      ['/read-all', { topic: null }, 'topic'],
      ['/archive-all', { read: null }, 'read'],
      ['/seen', { ids: new Array(1001).fill(ids.chat) }, 'ids'],
      ['/read-all', { type: 'EXPENSE' }, 'type'],
      ['/read-all', { topic: 7 }, 'topic'],
      ['/read-all', { read: true }, 'read'],
      ['/archive-all', { read: 'yes' }, 'read'],
      ['/archive-all', { type: ['expense.*'] }, 'type'],
      ['/archive-all', { sneaky: 1 }, 'sneaky'],
    ];
    for (const [path, body, field] of cases) {
      const response = await request(server.baseUrl, 'POST', `/notifications${path}`, { token: tokenFor(user), body });
      expect({ path, body, status: response.status }).toEqual({ path, body, status: 400 });
      expect({ path, body, message: JSON.stringify(response.body.message) }).toEqual({
        path,
        body,
        message: expect.stringContaining(field),
      });
    }
    for (const path of ['/x/unread', '/x/archive', '/x/unarchive']) {
      expect((await request(server.baseUrl, 'POST', `/notifications${path}`, { token: tokenFor(user) })).status).toBe(400);
    }
    expect((await request(server.baseUrl, 'GET', '/notifications/counts', { token: tokenFor(user) })).body).toEqual(before);
  });
});

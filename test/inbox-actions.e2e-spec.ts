import { NotificationLifecycle } from '../src/notifications/notification-lifecycle';
import { NotificationActionedEvent } from '../src/notifications/notification-lifecycle.events';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const ACTIONS = [
  { id: 'approve', label: 'Approve', style: 'primary' },
  { id: 'reject', label: 'Reject', url: 'https://example.com/expenses/42', style: 'danger' },
  { id: 'later', label: 'Later' },
];

describe('Actions on a notification', () => {
  let server: TestServer;
  const actioned: NotificationActionedEvent[] = [];
  const take = (userId: string, id: string, actionId: string) =>
    request(server.baseUrl, 'POST', `/notifications/${id}/actions/${actionId}`, { token: tokenFor(userId) });
  const list = async (userId: string) => (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items;
  const unread = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor(userId) })).body.count;

  beforeAll(async () => {
    server = await startServer();
    server.app.get(NotificationLifecycle).observe((name, payload) => {
      if (name === 'notifications.actioned') actioned.push(payload as NotificationActionedEvent);
    });
  });
  afterAll(() => server.close());

  it('delivers the actions, records the one taken once, marks it read, and tells every session', async () => {
    const user = 'act-ana';
    const [tab1, tab2] = [await TestClient.open(server.wsUrl, tokenFor(user)), await TestClient.open(server.wsUrl, tokenFor(user))];
    const sent = await send(server.baseUrl, senderToken(), { userIds: [user], type: 'expense.submitted', actions: ACTIONS });
    expect(sent.status).toBe(201);
    const frame = await tab1.next('notification');
    expect(frame.data).toMatchObject({
      actions: [
        { id: 'approve', label: 'Approve', url: null, style: 'primary' },
        { id: 'reject', label: 'Reject', url: 'https://example.com/expenses/42', style: 'danger' },
        { id: 'later', label: 'Later', url: null, style: 'secondary' },
      ],
      actionId: null,
      actionedAt: null,
    });
    await tab2.next('notification');
    expect(await unread(user)).toBe(1);

    const first = await take(user, sent.body.id, 'approve');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ actionId: 'approve', actionedAt: expect.any(String) });
    for (const tab of [tab1, tab2]) {
      expect((await tab.next('state')).data).toEqual({
        ids: [sent.body.id],
        change: 'actioned',
        at: first.body.actionedAt,
        actionId: 'approve',
      });
      expect((await tab.waitFor('unread', 2))[1].data).toEqual({ count: 0, unseen: 0 });
    }
    const [item] = await list(user);
    expect(item).toMatchObject({ id: sent.body.id, actionId: 'approve', actionedAt: first.body.actionedAt, readAt: first.body.actionedAt });
    expect(await unread(user)).toBe(0);
    expect(actioned).toEqual([
      expect.objectContaining({ userId: user, actionId: 'approve', actionedAt: first.body.actionedAt, tenant: null }),
    ]);
    expect(actioned[0].notification).toMatchObject({ id: sent.body.id, type: 'expense.submitted' });

    // The same again answers the same and emits nothing; another one is a conflict.
    const again = await take(user, sent.body.id, 'approve');
    expect(again).toMatchObject({ status: 200, body: first.body });
    const other = await take(user, sent.body.id, 'reject');
    expect(other.status).toBe(409);
    expect(other.body.message).toContain('approve');
    await tab1.roundTrip();
    expect(tab1.all('state')).toHaveLength(1);
    expect(actioned).toHaveLength(1);
    await Promise.all([tab1.close(), tab2.close()]);
  });

  it('counts a notification acted on as seen, and it stays seen when marked unread again', async () => {
    const user = 'act-seen';
    const sent = await send(server.baseUrl, senderToken(), { userIds: [user], actions: ACTIONS });
    expect((await take(user, sent.body.id, 'approve')).status).toBe(200);
    const counts = () => request(server.baseUrl, 'GET', '/notifications/counts', { token: tokenFor(user) });
    expect((await counts()).body).toMatchObject({ unread: 0, unseen: 0 });
    const unreadAgain = await request(server.baseUrl, 'POST', `/notifications/${sent.body.id}/unread`, { token: tokenFor(user) });
    expect(unreadAgain.status).toBe(204);
    expect((await counts()).body).toMatchObject({ unread: 1, unseen: 0 });
    expect((await list(user))[0]).toMatchObject({ readAt: null, seenAt: expect.any(String), actionId: 'approve' });
  });

  it('answers 404 for what is not the caller’s or not an action, 400 for a malformed id, and changes nothing', async () => {
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['act-bo'], actions: ACTIONS });
    const plain = await send(server.baseUrl, senderToken(), { userIds: ['act-bo'] });
    expect((await take('act-cy', sent.body.id, 'approve')).status).toBe(404);
    expect((await take('act-bo', sent.body.id, 'archive')).status).toBe(404);
    expect((await take('act-bo', plain.body.id, 'approve')).status).toBe(404);
    expect((await take('act-bo', '0192f0c2-0000-7000-8000-000000000000', 'approve')).status).toBe(404);
    const badAction = await take('act-bo', sent.body.id, 'Approve!');
    expect(badAction.status).toBe(400);
    expect(badAction.body.message).toContain('actionId');
    expect((await take('act-bo', 'not-an-id', 'approve')).status).toBe(400);
    expect(await list('act-bo')).toEqual([
      expect.objectContaining({ id: plain.body.id, actionId: null, readAt: null }),
      expect.objectContaining({ id: sent.body.id, actionId: null, readAt: null }),
    ]);
  });

  it('takes an action on an archived notification too (a link pressed after the inbox was tidied)', async () => {
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['act-archived'], actions: ACTIONS });
    const archived = await request(server.baseUrl, 'DELETE', `/notifications/${sent.body.id}`, { token: tokenFor('act-archived') });
    expect(archived.status).toBe(204);
    expect(await take('act-archived', sent.body.id, 'later')).toMatchObject({ status: 200, body: { actionId: 'later' } });
    expect(await list('act-archived')).toEqual([]);
  });

  it('records exactly one of many concurrent takes; the rest answer it or 409', async () => {
    const before = actioned.length;
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['act-di'], actions: ACTIONS });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) => take('act-di', sent.body.id, index % 2 === 0 ? 'approve' : 'reject')),
    );
    const winners = new Set(answers.filter((answer) => answer.status === 200).map((answer) => answer.body.actionId));
    expect(winners.size).toBe(1);
    const winner = [...winners][0];
    for (const answer of answers) {
      const tookWinner = (answers.indexOf(answer) % 2 === 0 ? 'approve' : 'reject') === winner;
      expect(answer.status).toBe(tookWinner ? 200 : 409);
    }
    expect(actioned.length - before).toBe(1);
    expect((await list('act-di'))[0]).toMatchObject({ actionId: winner });
  });

  it('refuses bad actions and groupKeys with 400 naming the field, and stores nothing', async () => {
    const user = 'act-refused';
    const bad: Array<[unknown, string]> = [
      [[...ACTIONS, { id: 'more', label: 'More' }], 'actions'],
      [[{ id: 'Approve', label: 'A' }], 'actions[0].id'],
      [[{ id: 'x'.repeat(41), label: 'A' }], 'actions[0].id'],
      [[{ id: 'ok', label: 'x'.repeat(61) }], 'actions[0].label'],
      [[{ id: 'ok', label: '' }], 'actions[0].label'],
      [[{ id: 'ok', label: 'A', url: 'javascript:alert(1)' }], 'actions[0].url'],
      [[{ id: 'ok', label: 'A', url: 'ftp://example.com' }], 'actions[0].url'],
      [[{ id: 'ok', label: 'A', style: 'loud' }], 'actions[0].style'],
      [[{ id: 'ok', label: 'A', extra: 1 }], 'actions[0].extra'],
      [
        [
          { id: 'ok', label: 'A' },
          { id: 'ok', label: 'B' },
        ],
        'actions[1].id',
      ],
      [['ok'], 'actions[0]'],
      [{ id: 'ok' }, 'actions'],
    ];
    for (const [actions, field] of bad) {
      const response = await send(server.baseUrl, senderToken(), { userIds: [user], actions });
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(JSON.stringify(response.body.message)).toContain(field);
    }
    for (const groupKey of ['x'.repeat(101), '', 42]) {
      const response = await send(server.baseUrl, senderToken(), { userIds: [user], groupKey });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toContain('groupKey');
    }
    expect(await list(user)).toEqual([]);
  });
});

import { DataSource } from 'typeorm';
import { NotificationsService } from '../src/notifications/notifications.service';
import { runSql } from '../src/persistence/sql';
import { ScheduledDeliveryWorker } from '../src/workers/scheduled-delivery.worker';
import { InProcessDeliveryBus } from '../src/delivery/in-process-delivery-bus';
import { DeliveryBus } from '../src/delivery/delivery-bus';
import { request, send } from './support/http';
import { startPoll, untilWaiting, waitingPolls } from './support/polls';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const CAP = 3;

/** GET /notifications?after=…[&wait=…]: polling for clients without a WebSocket or an event stream. */
describe('Polling: GET /notifications?after and &wait', () => {
  let server: TestServer;
  const sender = senderToken();
  const poll = (userId: string, query: string) => request(server.baseUrl, 'GET', `/notifications?${query}`, { token: tokenFor(userId) });
  const presence = async (userId: string) =>
    (await request(server.baseUrl, 'GET', `/presence/${userId}`, { token: adminToken() })).body.sessions as number;

  beforeAll(async () => {
    server = await startServer({ env: { WS_MAX_SESSIONS_PER_USER: String(CAP) } });
  });
  afterAll(() => server.close());

  it('lists what follows a cursor oldest first, read or not, and says where to poll from next', async () => {
    const ids: string[] = [];
    for (const title of ['one', 'two', 'three']) ids.push((await send(server.baseUrl, sender, { userIds: ['short-user'], title })).body.id);
    await request(server.baseUrl, 'POST', `/notifications/${ids[0]}/read`, { token: tokenFor('short-user') });

    const all = await poll('short-user', 'after=0');
    expect(all.status).toBe(200);
    expect(all.body.items.map((item: { id: string }) => item.id)).toEqual(ids);
    expect(all.body.items[0].readAt).toEqual(expect.any(String));
    expect(all.body.nextCursor).toBe(all.body.items[2].cursor);

    const paged = await poll('short-user', 'after=0&limit=2');
    expect(paged.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
    const rest = await poll('short-user', `after=${paged.body.nextCursor}&limit=2`);
    expect(rest.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2]]);
    const unread = await poll('short-user', 'after=0&unread=true');
    expect(unread.body.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(1));
    // Nothing new: an empty page, and the same cursor to poll from.
    expect((await poll('short-user', `after=${all.body.nextCursor}`)).body).toEqual({ items: [], nextCursor: all.body.nextCursor });
  });

  it('answers a long poll at once when something already follows the cursor', async () => {
    const sent = await send(server.baseUrl, sender, { userIds: ['ready-user'], title: 'Already there' });
    const answer = await poll('ready-user', 'after=0&wait=30');
    expect(answer.body.items.map((item: { id: string }) => item.id)).toEqual([sent.body.id]);
    expect(waitingPolls(server.app)).toBe(0);
  });

  it('holds a long poll until a send from another request arrives, then answers with it at once', async () => {
    const waiting = startPoll(server.baseUrl, tokenFor('waiting-user'), 'after=0&wait=30');
    await untilWaiting(server.app, 1);
    expect(await presence('waiting-user')).toBe(1);
    const sent = await send(server.baseUrl, sender, { userIds: ['waiting-user', 'someone-else'], title: 'Wake up', data: { n: 1 } });
    expect(sent.body).toMatchObject({ recipients: 2, online: 1 });
    const answer = await waiting.answer;
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([expect.objectContaining({ id: sent.body.id, title: 'Wake up', data: { n: 1 }, readAt: null })]);
    expect(answer.body.nextCursor).toBe(answer.body.items[0].cursor);
    expect(waitingPolls(server.app)).toBe(0);
    expect(await presence('waiting-user')).toBe(0);
  });

  it('answers {items: []} with the same cursor when the wait runs out', async () => {
    const answer = await poll('quiet-user', 'after=0&wait=1');
    expect(answer).toMatchObject({ status: 200, body: { items: [], nextCursor: '0' } });
    expect(waitingPolls(server.app)).toBe(0);
  });

  it('misses nothing committed between its registration and its first read', async () => {
    // The send commits while the poll's first read runs: a poll that registered only after
    // reading would miss its delivery, and wait out its 30 s.
    const service = server.app.get(NotificationsService);
    const readBacklog = service.readBacklog.bind(service);
    const spy = jest.spyOn(service, 'readBacklog').mockImplementationOnce(async (...args) => {
      const page = await readBacklog(...args);
      await service.send({ userIds: ['race-user'], type: 'race', title: 'Between read and wait' });
      return page;
    });
    try {
      const answer = await poll('race-user', 'after=0&wait=10');
      expect(answer.body.items.map((item: { title: string }) => item.title)).toEqual(['Between read and wait']);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a bad after, wait or combination with 400 naming the field, before waiting', async () => {
    const refusals: Array<[string, RegExp]> = [
      ['after=abc', /after must be a cursor/],
      ['after=-1', /after must be a cursor/],
      ['after=99999999999999999', /after must be a cursor/],
      ['after=0&wait=0', /wait must be a whole number of seconds from 1 to 30/],
      ['after=0&wait=31', /wait must be a whole number of seconds from 1 to 30/],
      ['after=0&wait=1.5', /wait must be a whole number/],
      ['after=0&wait=soon', /wait must be a whole number/],
      ['wait=5', /wait needs after/],
      ['after=0&before=10', /after cannot be combined with before/],
      ['after=0&after=1', /after must be a cursor/],
    ];
    for (const [query, message] of refusals) {
      const response = await poll('bad-poller', query);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(JSON.stringify(response.body.message)).toMatch(message);
    }
    expect((await request(server.baseUrl, 'GET', '/notifications?after=0&wait=1')).status).toBe(401);
  });

  it('counts a waiting poll against the session cap, and gives its slot back when it answers', async () => {
    const sockets = [await TestClient.open(server.wsUrl, tokenFor('capped-user'))];
    const polls = [startPoll(server.baseUrl, tokenFor('capped-user'), 'after=0&wait=30')];
    polls.push(startPoll(server.baseUrl, tokenFor('capped-user'), 'after=0&wait=30'));
    await untilWaiting(server.app, 2);
    const over = await poll('capped-user', 'after=0&wait=30');
    expect(over.status).toBe(429);
    await expect(TestClient.open(server.wsUrl, tokenFor('capped-user'))).rejects.toMatchObject({ status: 429 });
    // A short poll waits for nothing, so it needs no slot.
    expect((await poll('capped-user', 'after=0')).status).toBe(200);

    await send(server.baseUrl, sender, { userIds: ['capped-user'], title: 'Answers both' });
    expect((await Promise.all(polls.map((waiting) => waiting.answer))).map((answer) => answer.body.items.length)).toEqual([1, 1]);
    expect(await presence('capped-user')).toBe(1);
    sockets.push(await TestClient.open(server.wsUrl, tokenFor('capped-user')));
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('leaks nothing when clients leave while their polls wait: registry, presence and slots all empty', async () => {
    const leaving = Array.from({ length: 20 }, (_, index) =>
      startPoll(server.baseUrl, tokenFor(`leaver-${index % 10}`), `after=0&wait=30&limit=${index + 1}`),
    );
    await untilWaiting(server.app, 20);
    expect(await presence('leaver-0')).toBe(2);
    for (const poll of leaving) poll.abort();
    await Promise.all(leaving.map((poll) => expect(poll.answer).rejects.toThrow()));
    await untilWaiting(server.app, 0);
    const bus = server.app.get<InProcessDeliveryBus>(DeliveryBus);
    expect([await bus.sessionCount('leaver-0'), await bus.sessionCount('leaver-1')]).toEqual([0, 0]);
    // Every slot is back: the cap admits as many as ever.
    const again = Array.from({ length: CAP }, () => startPoll(server.baseUrl, tokenFor('leaver-0'), 'after=0&wait=30'));
    await untilWaiting(server.app, CAP);
    await send(server.baseUrl, sender, { userIds: ['leaver-0'], title: 'Back' });
    expect((await Promise.all(again.map((poll) => poll.answer))).map((answer) => answer.status)).toEqual([200, 200, 200]);
  });

  it('answers 401 when the user is revoked while the poll waits', async () => {
    const waiting = startPoll(server.baseUrl, tokenFor('revoked-poller'), 'after=0&wait=30');
    await untilWaiting(server.app, 1);
    expect((await request(server.baseUrl, 'POST', '/users/revoked-poller/revoke', { token: adminToken() })).status).toBe(204);
    expect(await waiting.answer).toMatchObject({ status: 401, body: { message: 'Access revoked' } });
    expect(waitingPolls(server.app)).toBe(0);
  });
});

/** Wake-ups that do not come from a direct send; their own server, as a broadcast reaches every user who polls later. */
describe('Polling: what else wakes a long poll', () => {
  let server: TestServer;
  const sender = senderToken();

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('is woken by a held send released while it waits', async () => {
    const held = await send(server.baseUrl, sender, {
      userIds: ['held-poller'],
      title: 'Held',
      deliverAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const waiting = startPoll(server.baseUrl, tokenFor('held-poller'), 'after=0&wait=30');
    await untilWaiting(server.app, 1);
    const past = new Date(Date.now() - 1000).toISOString();
    await runSql(server.app.get(DataSource).manager, `UPDATE notifications SET deliver_at = ?, created_at = ? WHERE id = ?`, [
      past,
      past,
      held.body.id,
    ]);
    await server.app.get(ScheduledDeliveryWorker).releaseDue();
    expect((await waiting.answer).body.items.map((item: { id: string }) => item.id)).toEqual([held.body.id]);
  });

  it('is woken by a broadcast', async () => {
    const waiting = startPoll(server.baseUrl, tokenFor('broadcast-poller'), 'after=0&wait=30');
    await untilWaiting(server.app, 1);
    const broadcast = await send(server.baseUrl, sender, { broadcast: true, title: 'Everyone' });
    expect((await waiting.answer).body.items.map((item: { id: string }) => item.id)).toEqual([broadcast.body.id]);
  });

  it('answers {items: []} to a poll still waiting when the server shuts down', async () => {
    const own = await startServer();
    const waiting = startPoll(own.baseUrl, tokenFor('shutdown-poller'), 'after=0&wait=30');
    await untilWaiting(own.app, 1);
    const closing = own.close();
    expect(await waiting.answer).toMatchObject({ status: 200, body: { items: [], nextCursor: '0' } });
    await closing;
  });
});

import { send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';
import { UNTOUCHED_RECIPIENT_FIELDS } from './support/notification-content';

describe('Live and queued delivery over WebSocket', () => {
  let server: TestServer;
  const sender = senderToken();
  const clients: TestClient[] = [];
  const open = async (userId: string, after?: string) => {
    const client = await TestClient.open(server.wsUrl, tokenFor(userId), after);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => server.close());

  it('delivers at once to every open session of the recipient, and to no one else', async () => {
    const [tab, phone, stranger] = [await open('u-live'), await open('u-live'), await open('u-other')];
    const response = await send(server.baseUrl, sender, { userIds: ['u-live'], title: 'Expense approved', data: { id: 7 } });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), recipients: 1, online: 1, suppressed: 0 });
    for (const session of [tab, phone]) {
      const { data } = await session.next('notification');
      expect(data).toEqual({
        id: response.body.id,
        cursor: expect.stringMatching(/^\d+$/),
        type: 'test.event',
        title: 'Expense approved',
        body: null,
        data: { id: 7 },
        priority: 'normal',
        topic: null,
        createdAt: expect.any(String),
        expiresAt: null,
        ...UNTOUCHED_RECIPIENT_FIELDS,
        critical: false,
        actions: [],
        groupKey: null,
      });
      expect((await session.next('unread')).data).toEqual({ count: 1, unseen: 1 });
    }
    await stranger.roundTrip();
    expect(stranger.all('notification')).toHaveLength(0);
  });

  it('gives each recipient of one send its own unread count, however many share it', async () => {
    await send(server.baseUrl, sender, { userIds: ['u-count-busy'], title: 'earlier' });
    const sessions = { busy: await open('u-count-busy'), fresh: await open('u-count-fresh'), alsoFresh: await open('u-count-fresh-2') };
    await sessions.busy.next('notification');
    await send(server.baseUrl, sender, { userIds: ['u-count-busy', 'u-count-fresh', 'u-count-fresh-2'], title: 'to three' });
    const counts: Record<string, number> = {};
    for (const [name, session] of Object.entries(sessions)) {
      await session.next('notification');
      counts[name] = (await session.next('unread')).data.count;
    }
    expect(counts).toEqual({ busy: 2, fresh: 1, alsoFresh: 1 });
  });

  it('queues for an offline user and sends the backlog in order right after ready', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const response = await send(server.baseUrl, sender, { userIds: ['u-offline'], title: `n${index}` });
      expect(response.body.online).toBe(0);
      ids.push(response.body.id);
    }
    const client = await open('u-offline');
    expect(client.frames[0]).toMatchObject({ event: 'ready', data: { userId: 'u-offline', unreadCount: 5 } });
    const received = await client.waitFor('notification', 5);
    expect(received.map((frame) => frame.data.id)).toEqual(ids);
    const cursors = received.map((frame) => Number(frame.data.cursor));
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
  });

  it('stops replaying what was acknowledged, from any session', async () => {
    const first = await send(server.baseUrl, sender, { userIds: ['u-ack'], title: 'one' });
    await send(server.baseUrl, sender, { userIds: ['u-ack'], title: 'two' });
    const tab = await open('u-ack');
    await tab.waitFor('notification', 2);
    tab.send('ack', { ids: [first.body.id] });
    await tab.roundTrip();
    await tab.close();
    const again = await open('u-ack');
    await again.roundTrip();
    expect(again.all('notification').map((frame) => frame.data.title)).toEqual(['two']);
  });

  it('resumes exactly after a cursor with ?after=, acknowledged or not', async () => {
    const sent = [];
    for (const title of ['a', 'b', 'c', 'd']) sent.push(await send(server.baseUrl, sender, { userIds: ['u-resume'], title }));
    const client = await open('u-resume');
    const frames = await client.waitFor('notification', 4);
    client.send('ack', { ids: sent.map((response) => response.body.id) });
    await client.roundTrip();
    await client.close();
    const resumed = await open('u-resume', frames[1].data.cursor);
    await resumed.roundTrip();
    expect(resumed.all('notification').map((frame) => frame.data.title)).toEqual(['c', 'd']);
  });

  it('gives every session each notification once, in order, when it connects while sends commit', async () => {
    // Four senders keep committing while sessions connect one after another. (On SQLite a
    // replay runs without yielding to I/O, so the replay/commit race itself is covered
    // deterministically in session.spec.ts.)
    let sending = true;
    let total = 0;
    const sender = async () => {
      while (sending) {
        await send(server.baseUrl, senderToken(), { userIds: ['u-race'], title: `n${total}` });
        total++;
      }
    };
    const senders = [sender(), sender(), sender(), sender()];
    const sessions: TestClient[] = [];
    for (let index = 0; index < 8; index++) sessions.push(await open('u-race'));
    sending = false;
    await Promise.all(senders);
    for (const session of sessions) {
      await session.waitFor('notification', total);
      await session.roundTrip();
      const all = session.all('notification');
      expect(all).toHaveLength(total);
      expect(new Set(all.map((frame) => frame.data.id)).size).toBe(total);
      const cursors = all.map((frame) => Number(frame.data.cursor));
      expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
    }
  });

  it('pushes the unread count to every session on read over WebSocket', async () => {
    const response = await send(server.baseUrl, sender, { userIds: ['u-read'], title: 'read me' });
    const [tab, phone] = [await open('u-read'), await open('u-read')];
    expect(tab.frames[0].data.unreadCount).toBe(1);
    tab.send('read', { ids: [response.body.id] });
    for (const session of [tab, phone]) expect((await session.next('unread')).data).toEqual({ count: 0, unseen: 0 });
  });

  it('answers bad client frames with an error frame and keeps the session open', async () => {
    const client = await open('u-bad');
    const bad: Array<string | Buffer> = [
      'not json',
      '[1,2]',
      '{"event":42}',
      '{"event":"dance","data":{}}',
      '{"event":"ack","data":{"ids":"x"}}',
      '{"event":"ack","data":{"ids":[]}}',
      '{"event":"read","data":null}',
      '{"event":"refresh","data":{}}',
      '{"__proto__":{"polluted":true},"event":"ack","data":{"ids":[1]}}',
    ];
    for (const frame of bad) client.socket.send(frame);
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    const errors = await client.waitFor('error', bad.length + 1);
    expect(errors.map((frame) => frame.data.code)).toEqual([
      'NOTIFICATIONS_ERR_NOT_JSON',
      'NOTIFICATIONS_ERR_BAD_FRAME',
      'NOTIFICATIONS_ERR_BAD_FRAME',
      'NOTIFICATIONS_ERR_UNKNOWN_EVENT',
      'NOTIFICATIONS_ERR_BAD_DATA',
      'NOTIFICATIONS_ERR_BAD_DATA',
      'NOTIFICATIONS_ERR_BAD_DATA',
      'NOTIFICATIONS_ERR_BAD_DATA',
      'NOTIFICATIONS_ERR_BAD_DATA',
      'NOTIFICATIONS_ERR_BAD_FRAME',
    ]);
    for (const frame of errors) expect(frame.data.message).toEqual(expect.any(String));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await client.roundTrip();
    await send(server.baseUrl, sender, { userIds: ['u-bad'], title: 'still here' });
    expect((await client.next('notification')).data.title).toBe('still here');
  });

  it('forgets a session when its socket closes or dies (presence goes to zero)', async () => {
    const tab = await open('u-gone');
    const other = await open('u-gone');
    expect((await send(server.baseUrl, sender, { userIds: ['u-gone'], title: 'x' })).body.online).toBe(1);
    await tab.close();
    other.socket.terminate();
    await other.waitForClose();
    await waitUntil(async () => (await send(server.baseUrl, sender, { userIds: ['u-gone'], title: 'y' })).body.online === 0);
  });

  it('answers ping with pong', async () => {
    const client = await open('u-ping');
    client.send('ping', 'anything');
    expect((await client.next('pong')).data).toEqual({});
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

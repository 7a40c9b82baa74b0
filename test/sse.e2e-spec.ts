import { eventually } from './support/eventually';
import { request, send } from './support/http';
import { SseTestClient } from './support/sse-client';
import { startServer, TestServer } from './support/test-server';
import { adminToken, expiryIn, senderToken, tokenExpiringAt, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Server-Sent Events: GET /notifications/stream', () => {
  let server: TestServer;
  const sender = senderToken();
  const streams: SseTestClient[] = [];
  const sockets: TestClient[] = [];
  const stream = async (userId: string, lastEventId?: string) => {
    const client = await SseTestClient.connect(server.baseUrl, tokenFor(userId), lastEventId);
    streams.push(client);
    return client;
  };
  const notify = async (userId: string, title: string) => {
    const response = await send(server.baseUrl, sender, { userIds: [userId], title });
    expect(response.status).toBe(201);
    return response.body as { id: string; online: number };
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    for (const client of streams.splice(0)) client.close();
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });
  afterAll(() => server.close());

  it('refuses a request without a valid token with 401, before any stream', async () => {
    const anonymous = await SseTestClient.open(server.baseUrl);
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await anonymous.response.json()).toMatchObject({ statusCode: 401 });
    const forged = await SseTestClient.open(server.baseUrl, { token: tokenFor('u1', { secret: 'another-secret-entirely' }) });
    expect(forged.response.status).toBe(401);
    await forged.response.text();
  });

  it('refuses a Last-Event-ID that is not a cursor with 400', async () => {
    const client = await SseTestClient.open(server.baseUrl, { token: tokenFor('u1'), headers: { 'last-event-id': '12; drop' } });
    expect(client.response.status).toBe(400);
    expect(((await client.response.json()) as { message: string }).message).toMatch(/Last-Event-ID/);
  });

  it('streams ready, then the unacknowledged backlog oldest first with the cursor as id, then live events', async () => {
    const first = await notify('u-backlog', 'first');
    const second = await notify('u-backlog', 'second');
    const client = await stream('u-backlog');
    expect(client.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(client.events[0]).toEqual({
      event: 'ready',
      id: undefined,
      data: { sessionId: expect.any(String), userId: 'u-backlog', unreadCount: 2, unseenCount: 2 },
    });
    const backlog = await client.waitFor('notification', 2);
    expect(backlog.map((event) => event.data.id)).toEqual([first.id, second.id]);
    for (const event of backlog) expect(event.id).toBe(event.data.cursor);

    const live = await notify('u-backlog', 'live <b>text</b>');
    expect(live.online).toBe(1);
    const [, , third] = await client.waitFor('notification', 3);
    expect(third.data).toMatchObject({ id: live.id, title: 'live <b>text</b>', readAt: null });
    expect(third.id).toBe(third.data.cursor);
    expect((await client.next('unread')).data).toEqual({ count: 3, unseen: 3 });
  });

  it('serves WebSocket and SSE sessions of one user from the same delivery, unread counts included', async () => {
    const viaStream = await stream('u-both');
    const viaSocket = await TestClient.open(server.wsUrl, tokenFor('u-both'));
    sockets.push(viaSocket);
    const sent = await notify('u-both', 'to every tab');
    expect(sent.online).toBe(1);
    expect((await viaStream.next('notification')).data).toEqual((await viaSocket.next('notification')).data);

    viaSocket.send('read', { ids: [sent.id] });
    await viaStream.waitFor('unread', 2);
    expect(viaStream.all('unread').map((event) => event.data.count)).toEqual([1, 0]);
  });

  it('resumes exactly after Last-Event-ID, acknowledged or not', async () => {
    const titles = ['a', 'b', 'c', 'd'];
    for (const title of titles) await notify('u-resume', title);
    const socket = await TestClient.open(server.wsUrl, tokenFor('u-resume'));
    const frames = await socket.waitFor('notification', 4);
    socket.send('ack', { ids: frames.map((frame) => frame.data.id) });
    await socket.roundTrip();
    await socket.close();

    const resumed = await stream('u-resume', frames[1].data.cursor);
    await notify('u-resume', 'e');
    await resumed.waitFor('notification', 3);
    expect(resumed.all('notification').map((event) => event.data.title)).toEqual(['c', 'd', 'e']);
  });

  it('takes the token and the cursor from the query for EventSource, the header winning over the query', async () => {
    for (const title of ['q1', 'q2', 'q3']) await notify('u-query', title);
    const all = await stream('u-query');
    const cursors = (await all.waitFor('notification', 3)).map((event) => event.id!);

    const fromQuery = await SseTestClient.open(server.baseUrl, {
      query: { access_token: tokenFor('u-query'), lastEventId: cursors[0] },
    });
    streams.push(fromQuery);
    expect(fromQuery.response.status).toBe(200);
    await fromQuery.waitFor('notification', 2);
    expect(fromQuery.all('notification').map((event) => event.id)).toEqual([cursors[1], cursors[2]]);

    const headerWins = await SseTestClient.open(server.baseUrl, {
      query: { access_token: tokenFor('u-query'), lastEventId: cursors[0] },
      headers: { 'last-event-id': cursors[1] },
    });
    streams.push(headerWins);
    await headerWins.waitFor('notification', 1);
    await notify('u-query', 'q4');
    await headerWins.waitFor('notification', 2);
    expect(headerWins.all('notification').map((event) => event.data.title)).toEqual(['q3', 'q4']);
  });

  it('counts a stream as an open session for presence, and not after it closes', async () => {
    const client = await stream('u-presence');
    expect((await notify('u-presence', 'while open')).online).toBe(1);
    await client.next('notification');
    client.close();
    // The server notices the closed connection asynchronously: wait on what a sender sees.
    for (let attempt = 0; ; attempt++) {
      const { online } = await notify('u-presence', `after close ${attempt}`);
      if (online === 0) break;
      expect(attempt).toBeLessThan(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  it('ends the stream with event close 4401 when the token expires', async () => {
    const exp = expiryIn(2);
    const client = await SseTestClient.connect(server.baseUrl, tokenExpiringAt('u-expiring', exp));
    // The contract: within 5 s of exp.
    const closed = await client.next('close', exp * 1000 + 5000 - Date.now());
    expect(closed.data).toEqual({ code: 4401, reason: 'token expired' });
    await client.waitForEnd();
  });
});

describe('Server-Sent Events under WS_MAX_SESSIONS_PER_USER', () => {
  let server: TestServer;
  const open: Array<SseTestClient | TestClient> = [];
  const stream = async (userId: string) => {
    const client = await SseTestClient.connect(server.baseUrl, tokenFor(userId));
    open.push(client);
    return client;
  };
  const socket = async (userId: string) => {
    const client = await TestClient.open(server.wsUrl, tokenFor(userId));
    open.push(client);
    return client;
  };
  const sessionsOf = (userId: string) =>
    request(server.baseUrl, 'GET', `/presence/${userId}`, { token: adminToken() }).then((response) => response.body.sessions);

  beforeAll(async () => {
    server = await startServer({ env: { WS_MAX_SESSIONS_PER_USER: '2' } });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(async (client) => client.close()));
  });
  afterAll(() => server.close());

  it('refuses a stream over the cap with 429 before any event, leaves other users alone, and admits one after a close', async () => {
    const first = await stream('sse-many-tabs');
    await stream('sse-many-tabs');

    const refused = await SseTestClient.open(server.baseUrl, { token: tokenFor('sse-many-tabs') });
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await refused.response.json()).toMatchObject({ statusCode: 429, message: 'At most 2 sessions per user; close one first' });
    expect(await sessionsOf('sse-many-tabs')).toBe(2);
    await stream('sse-one-tab');

    first.close();
    await eventually(
      () => sessionsOf('sse-many-tabs'),
      (sessions) => sessions === 1,
    );
    expect((await stream('sse-many-tabs')).all('ready')).toHaveLength(1);
  });

  it('counts WebSocket and SSE sessions together, whichever transport asks next', async () => {
    await socket('mixed-tabs');
    await stream('mixed-tabs');

    const viaStream = await SseTestClient.open(server.baseUrl, { token: tokenFor('mixed-tabs') });
    expect(viaStream.response.status).toBe(429);
    await viaStream.response.text();
    await expect(TestClient.open(server.wsUrl, tokenFor('mixed-tabs'))).rejects.toMatchObject({ status: 429 });
    expect(await sessionsOf('mixed-tabs')).toBe(2);
  });
});

describe('Server-Sent Events at shutdown', () => {
  it('ends open streams with event close 1001, so the server can stop', async () => {
    const server = await startServer();
    const client = await SseTestClient.connect(server.baseUrl, tokenFor('u-shutdown'));
    await server.close();
    expect((await client.next('close')).data).toEqual({ code: 1001, reason: 'server shutting down' });
    await client.waitForEnd();
  });
});

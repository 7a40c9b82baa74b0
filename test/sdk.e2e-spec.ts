import { join } from 'node:path';
import { connect, NotificationClient, type ConnectOptions, type Notification } from '../client/src';
import { request, send } from './support/http';
import { gate, nextEvent, recordingWebSocket } from './support/sdk';
import { startServer, temporaryDirectory, TestServer } from './support/test-server';
import { expiryIn, senderToken, tokenExpiringAt, tokenFor } from './support/tokens';

// The client SDK in Node (the `ws` class) against the real standalone server.
describe('Client SDK against the real server', () => {
  const directory = temporaryDirectory();
  const sender = senderToken();
  let server: TestServer;
  const clients: NotificationClient[] = [];
  let databases = 0;

  /** A client with short backoff windows, so reconnects happen within the test. */
  const open = (options: Partial<ConnectOptions> & Pick<ConnectOptions, 'token' | 'WebSocket'>) => {
    const client = connect({
      url: server.baseUrl,
      backoffBaseMs: 20,
      backoffCapMs: 200,
      shutdownWindowMs: 50,
      lostSessionWindowMs: 50,
      ...options,
    });
    clients.push(client);
    return client;
  };
  const notify = async (userId: string, title: string) => {
    const response = await send(server.baseUrl, sender, { userIds: [userId], title });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const inbox = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items as Notification[];

  beforeEach(async () => {
    server = await startServer({ databasePath: join(directory.path, `sdk-${++databases}.sqlite`) });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server.close();
  });
  afterAll(() => directory.remove());

  it('resumes after a server restart on the same SQLite file, from its cursor, without a repeat', async () => {
    const wire = recordingWebSocket();
    const client = open({ token: () => tokenFor('sdk-restart'), WebSocket: wire.WebSocket });
    const received: Notification[] = [];
    client.on('notification', (notification) => void received.push(notification));
    await nextEvent(client, 'ready');
    const arrived = nextEvent(client, 'notification');
    const before = await notify('sdk-restart', 'before the restart');
    await arrived;

    const { databasePath } = server;
    const port = Number(new URL(server.baseUrl).port);
    const down = nextEvent(client, 'closed');
    await server.close();
    expect((await down).code).toBe(1001);
    server = await startServer({ databasePath, port });
    const arrivedAgain = nextEvent(client, 'notification');
    const after = await notify('sdk-restart', 'after the restart');
    await arrivedAgain;
    expect(received.map((notification) => notification.id)).toEqual([before, after]);
    const resumed = wire.sockets[wire.sockets.length - 1];
    expect(resumed.url.searchParams.get('after')).toBe(received[0].cursor);
    expect(resumed.received.filter((frame) => frame.event === 'notification').map((frame) => frame.data.id)).toEqual([after]);
    expect(client.cursor).toBe(received[1].cursor);
  });

  it('hands a notification to the app once when a reconnect without its cursor brings it again', async () => {
    // A reconnect that lands without `after` (a proxy dropping the query, say) makes the
    // server replay everything unacknowledged: a real duplicate on the wire.
    const wire = recordingWebSocket({ rewriteUrl: (url) => url.replace(/&after=\d+/, '') });
    const client = open({ token: () => tokenFor('sdk-dedupe'), WebSocket: wire.WebSocket });
    const busy = gate();
    const handled: string[] = [];
    client.on('notification', (notification) => {
      handled.push(notification.title);
      return busy.promise;
    });
    await nextEvent(client, 'ready');
    const once = nextEvent(client, 'notification');
    await notify('sdk-dedupe', 'once');
    await once;

    const reconnected = nextEvent(client, 'ready');
    wire.sockets[0].socket.terminate();
    await reconnected;
    const twice = nextEvent(client, 'notification');
    await notify('sdk-dedupe', 'twice');
    await twice;

    const second = wire.sockets[1].received.filter((frame) => frame.event === 'notification');
    expect(second.map((frame) => frame.data.title)).toEqual(['once', 'twice']);
    expect(handled).toEqual(['once', 'twice']);
  });

  it('acknowledges only after the handler has finished, and not at all when it fails', async () => {
    const wire = recordingWebSocket();
    const client = open({ token: () => tokenFor('sdk-ack'), WebSocket: wire.WebSocket });
    const busy = gate();
    const failing = gate();
    const errors: string[] = [];
    client.on('error', (error) => void errors.push(error.code));
    client.on('notification', (notification) => (notification.title === 'fails' ? failing.promise : busy.promise));
    await nextEvent(client, 'ready');
    const slow = await notify('sdk-ack', 'slow');
    const fails = await notify('sdk-ack', 'fails');
    await wire.until(() => wire.sockets[0].received.filter((frame) => frame.event === 'notification').length === 2, '2 notifications');

    await client.ping(); // every frame the client sent has been handled by now
    expect(wire.sockets[0].sent.filter((frame) => frame.event === 'ack')).toEqual([]);
    expect((await inbox('sdk-ack')).every((notification) => notification.deliveredAt === null)).toBe(true);

    failing.fail(new Error('the app could not show it'));
    busy.open();
    await wire.until(() => wire.sockets[0].sent.some((frame) => frame.event === 'ack'), 'an ack');
    await client.ping();
    expect(wire.sockets[0].sent.filter((frame) => frame.event === 'ack')).toEqual([{ event: 'ack', data: { ids: [slow] } }]);
    const delivered = Object.fromEntries((await inbox('sdk-ack')).map((notification) => [notification.id, notification.deliveredAt]));
    expect(delivered[slow]).toEqual(expect.any(String));
    expect(delivered[fails]).toBeNull();
    expect(errors).toEqual(['NOTIFICATIONS_CLIENT_ERR_LISTENER']);

    // The next page load (a client without a cursor) gets the failed one again, and only it.
    const reload = recordingWebSocket();
    const again = open({ token: () => tokenFor('sdk-ack'), WebSocket: reload.WebSocket });
    const redelivered = nextEvent(again, 'notification');
    expect((await redelivered).id).toBe(fails);
    await again.ping();
    expect(reload.sockets[0].received.filter((frame) => frame.event === 'notification')).toHaveLength(1);
  });

  it('on 4401 fetches a fresh token, reconnects at once and resumes where it was', async () => {
    const tokens = [tokenExpiringAt('sdk-expiry', expiryIn(3)), undefined, tokenFor('sdk-expiry')];
    let calls = 0;
    const wire = recordingWebSocket();
    const client = open({
      WebSocket: wire.WebSocket,
      token: () => {
        const token = tokens[calls++];
        // The refresh ahead of expiry fails (an auth backend hiccup): only 4401 is left.
        if (!token) throw new Error('token service unavailable');
        return token;
      },
    });
    const received: string[] = [];
    client.on('notification', (notification) => void received.push(notification.title));
    const errors: string[] = [];
    client.on('error', (error) => void errors.push(error.code));
    await nextEvent(client, 'ready');
    const closing = nextEvent(client, 'closed');
    const first = nextEvent(client, 'notification');
    await notify('sdk-expiry', 'before expiry');
    await first;

    const closed = await closing;
    expect(closed).toEqual({ code: 4401, reason: 'token expired', retryInMs: 0 });
    expect(errors).toEqual(['NOTIFICATIONS_CLIENT_ERR_TOKEN']);
    const caughtUp = nextEvent(client, 'notification');
    const missed = await notify('sdk-expiry', 'while reconnecting');
    await caughtUp;

    expect(received).toEqual(['before expiry', 'while reconnecting']);
    expect(calls).toBe(3);
    const resumed = wire.sockets[1];
    expect(resumed.url.searchParams.get('access_token')).toBe(tokens[2]);
    expect(resumed.url.searchParams.get('after')).toEqual(expect.stringMatching(/^\d+$/));
    expect(resumed.received.filter((frame) => frame.event === 'notification').map((frame) => frame.data.id)).toEqual([missed]);
  });

  it('refreshes ahead of expiry on the open session, which outlives the first token', async () => {
    const first = tokenExpiringAt('sdk-refresh', expiryIn(2));
    const expiresAt = JSON.parse(Buffer.from(first.split('.')[1], 'base64url').toString()).exp * 1000;
    let calls = 0;
    const wire = recordingWebSocket();
    const client = open({ WebSocket: wire.WebSocket, token: () => (calls++ === 0 ? first : tokenFor('sdk-refresh')) });
    const closes: number[] = [];
    client.on('closed', ({ code }) => void closes.push(code));
    await nextEvent(client, 'ready');
    await wire.until(() => wire.sockets[0].sent.some((frame) => frame.event === 'refresh'), 'a refresh frame');

    // Waits for a clock deadline, not for luck: the first token's expiry (+ the server's timer).
    await new Promise((resolve) => setTimeout(resolve, expiresAt + 500 - Date.now()));
    const arrived = nextEvent(client, 'notification');
    await notify('sdk-refresh', 'after the first token expired');
    expect((await arrived).title).toBe('after the first token expired');
    expect(wire.sockets).toHaveLength(1);
    expect(closes).toEqual([]);
  });

  it('reports unread counts to every tab of the user as notifications arrive and are read', async () => {
    await notify('sdk-unread', 'waiting');
    const tabs = [0, 1].map(() => open({ token: () => tokenFor('sdk-unread'), WebSocket: recordingWebSocket().WebSocket }));
    const [first, second] = tabs;
    const initial = await Promise.all(tabs.map((tab) => nextEvent(tab, 'unread')));
    expect(initial).toEqual([
      { count: 1, unseen: 1 },
      { count: 1, unseen: 1 },
    ]);

    const raised = tabs.map((tab) => nextEvent(tab, 'unread'));
    const id = await notify('sdk-unread', 'new');
    expect(await Promise.all(raised)).toEqual([
      { count: 2, unseen: 2 },
      { count: 2, unseen: 2 },
    ]);

    const lowered = tabs.map((tab) => nextEvent(tab, 'unread'));
    first.markRead(id);
    expect(await Promise.all(lowered)).toEqual([
      { count: 1, unseen: 1 },
      { count: 1, unseen: 1 },
    ]);
    expect(second.unreadCount).toBe(1);
  });
});

import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { connect } from './connect';
import { NotificationClient } from './notification-client';
import { notification } from './testing/notifications';
import type { NotificationClientEvents } from './types';

/** Resolves with the next payload of `name`, or fails after `timeoutMs`. */
function nextEvent<Name extends keyof NotificationClientEvents>(
  client: NotificationClient,
  name: Name,
  timeoutMs = 2000,
): Promise<NotificationClientEvents[Name]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${name}" within ${timeoutMs} ms`)), timeoutMs);
    const off = client.on(name, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

// The unit specs use a fake socket; this one proves the client against the real `ws` class in Node.
describe(NotificationClient.name, () => {
  let server: WebSocketServer;
  let baseUrl: string;
  const requests: URL[] = [];
  const framesReceived: unknown[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (socket, request) => {
      requests.push(new URL(request.url ?? '/', baseUrl));
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { event: string };
        framesReceived.push(frame);
        if (frame.event === 'ack') socket.close(4403, 'revoked');
      });
      socket.send(JSON.stringify({ event: 'ready', data: { sessionId: 's1', userId: 'u1', unreadCount: 1 } }));
      socket.send(JSON.stringify({ event: 'notification', data: notification(1, { title: 'Héllo ✓' }) }));
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  it('talks to a real ws server from Node: ready, notification, ack, then 4403 stops it', async () => {
    const client = connect({ url: baseUrl, token: async () => 'jwt-node', WebSocket });
    const ready = nextEvent(client, 'ready');
    const received = nextEvent(client, 'notification');
    const closed = nextEvent(client, 'closed');

    expect(await ready).toEqual({ sessionId: 's1', userId: 'u1', unreadCount: 1 });
    expect((await received).title).toBe('Héllo ✓');
    expect(await closed).toEqual({ code: 4403, reason: 'revoked', retryInMs: null });

    expect(requests[0].pathname).toBe('/ws');
    expect(requests[0].searchParams.get('access_token')).toBe('jwt-node');
    expect(framesReceived).toEqual([{ event: 'ack', data: { ids: ['n1'] } }]);
    expect(client.state).toBe('closed');
  });
});

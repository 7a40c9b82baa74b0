import { connect, type NotificationClient, type Notification } from '../client/src';
import { eventually } from './support/eventually';
import { send, undeliveredCount } from './support/http';
import { nextEvent, recordingWebSocket } from './support/sdk';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

// A browser receives each WebSocket message in a task of its own, so the SDK acknowledges a
// backlog one notification at a time unless it batches over time. The server closes a
// session that sends more than WS_MAX_FRAMES_PER_SECOND (50) frames a second with 1008.
describe('Client SDK draining a large backlog one message per task', () => {
  const sender = senderToken();
  const user = 'sdk-backlog';
  const backlog = 1000;
  let server: TestServer;
  let client: NotificationClient | undefined;

  beforeAll(async () => {
    server = await startServer({ env: { SEND_RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    client?.close();
    await server.close();
  });

  it('receives all 1,000 in order, acknowledges every one, and is never closed for flooding', async () => {
    const sent: string[] = [];
    for (let index = 0; index < backlog; index += 1) {
      const response = await send(server.baseUrl, sender, { userIds: [user], title: `queued ${index}` });
      expect(response.status).toBe(201);
      sent.push(response.body.id);
    }

    const wire = recordingWebSocket({ messagePerTask: true });
    client = connect({ url: server.baseUrl, token: () => tokenFor(user), WebSocket: wire.WebSocket });
    const closes: number[] = [];
    client.on('closed', ({ code }) => void closes.push(code));
    const received: Notification[] = [];
    client.on('notification', (notification) => void received.push(notification));
    await nextEvent(client, 'ready');

    const acked = () => wire.sockets[0].sent.filter((frame) => frame.event === 'ack').flatMap((frame) => frame.data.ids);
    await wire.until(() => acked().length === backlog, 'every notification acknowledged', 15_000);
    expect(received.map((notification) => notification.id)).toEqual(sent);
    expect(new Set(acked())).toEqual(new Set(sent));
    expect(closes).toEqual([]);
    expect(wire.sockets).toHaveLength(1);

    // The acks reached the server: nothing in the inbox is left undelivered.
    await eventually(
      () => undeliveredCount(server.baseUrl, tokenFor(user)),
      (count) => count === 0,
    );
    expect(client.state).toBe('open');
  });
});

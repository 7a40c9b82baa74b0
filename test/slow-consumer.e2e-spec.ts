import { NotificationsService } from '../src/notifications/notifications.service';
import { request } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { adminToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Slow consumers', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { WS_MAX_BUFFERED_BYTES: '65536' } });
  });
  afterAll(() => server.close());

  const sessionsOf = (userId: string) =>
    request(server.baseUrl, 'GET', `/presence/${userId}`, { token: adminToken() }).then((response) => response.body.sessions);

  it('drops a session that stops reading once its queue passes the cap; others get everything; nothing is lost', async () => {
    const notifications = server.app.get(NotificationsService);
    const slow = await TestClient.open(server.wsUrl, tokenFor('slow-reader'));
    const healthy = await TestClient.open(server.wsUrl, tokenFor('fast-reader'));
    // The client stops reading: the server's queue for it can only grow.
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    const payload = { blob: 'x'.repeat(15_000) };
    let sent = 0;
    while ((await sessionsOf('slow-reader')) > 0) {
      if (sent >= 2000) throw new Error('the slow session was never dropped');
      await notifications.send({
        userIds: ['slow-reader', 'fast-reader'],
        type: 'bulk',
        title: `n${sent}`,
        body: 'y'.repeat(5000),
        data: payload,
      });
      sent++;
    }

    // The healthy reader was not held back: it has every notification.
    await healthy.waitFor('notification', sent, 10_000);
    expect(healthy.closeCode).toBeUndefined();

    // The slow client reconnects and catches up from its cursor (here: everything unacknowledged).
    slow.socket.terminate();
    const again = await TestClient.open(server.wsUrl, tokenFor('slow-reader'));
    await again.waitFor('notification', sent, 10_000);
    expect(new Set(again.all('notification').map((frame) => frame.data.title)).size).toBe(sent);
    await Promise.all([again.close(), healthy.close()]);
  });
});

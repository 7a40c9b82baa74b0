import { join } from 'node:path';
import { NotificationsService } from '../src/notifications/notifications.service';
import { send, undeliveredCount } from './support/http';
import { startServer, temporaryDirectory } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Restart', () => {
  const directory = temporaryDirectory();
  const databasePath = join(directory.path, 'survives.sqlite');
  afterAll(() => directory.remove());

  it('delivers after a restart what was queued before it, and keeps read state', async () => {
    const before = await startServer({ databasePath });
    const sent = [];
    for (const title of ['first', 'second', 'third']) {
      sent.push((await send(before.baseUrl, senderToken(), { userIds: ['offline-user'], title })).body.id);
    }
    const reader = await TestClient.open(before.wsUrl, tokenFor('offline-user'));
    await reader.waitFor('notification', 3);
    reader.send('ack', { ids: [sent[0]] });
    reader.send('read', { ids: [sent[1]] });
    await reader.next('unread');
    await reader.close();
    await before.close();

    const after = await startServer({ databasePath });
    const client = await TestClient.open(after.wsUrl, tokenFor('offline-user'));
    expect(client.frames[0].data.unreadCount).toBe(2);
    await client.roundTrip();
    const replayed = client.all('notification').map((frame) => frame.data);
    expect(replayed.map((notification) => notification.title)).toEqual(['second', 'third']);
    expect(replayed[0].readAt).toEqual(expect.any(String));
    await client.close();
    await after.close();
  });

  it('stores acks still gathering in their batch window when the server stops', async () => {
    const path = join(directory.path, 'acks-at-shutdown.sqlite');
    const before = await startServer({ databasePath: path });
    const ids: string[] = [];
    for (const title of ['one', 'two']) ids.push((await send(before.baseUrl, senderToken(), { userIds: ['acker'], title })).body.id);
    const acknowledged = before.app.get(NotificationsService).acknowledge('acker', ids);
    await before.close();
    await expect(acknowledged).resolves.toBe(2);

    const after = await startServer({ databasePath: path });
    await expect(undeliveredCount(after.baseUrl, tokenFor('acker'))).resolves.toBe(0);
    await after.close();
  });
});

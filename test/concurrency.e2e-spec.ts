import Database from 'better-sqlite3';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Concurrent writes on SQLite', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('keeps every concurrent send whole, with distinct cursors, while other writes fail', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('c-user'));
    // 64 good sends race 64 refused ones and 64 reads/acks on the same shared connection.
    const good = Array.from({ length: 64 }, (_, index) =>
      send(server.baseUrl, senderToken(), { userIds: ['c-user', `c-other-${index % 4}`], title: `n${index}` }),
    );
    const refused = Array.from({ length: 64 }, () => send(server.baseUrl, senderToken(), { userIds: ['c-user'], priority: 'x' }));
    const reads = Array.from({ length: 64 }, () =>
      request(server.baseUrl, 'POST', '/notifications/read-all', { token: tokenFor('c-user') }),
    );
    const results = await Promise.all([...good, ...refused, ...reads]);
    expect(results.slice(0, 64).every((response) => response.status === 201)).toBe(true);
    expect(results.slice(64, 128).every((response) => response.status === 400)).toBe(true);

    const frames = await client.waitFor('notification', 64);
    await client.roundTrip();
    expect(client.all('notification')).toHaveLength(64);
    await client.close();

    const database = new Database(server.databasePath, { readonly: true });
    const notifications = database.prepare('SELECT COUNT(*) AS count FROM notifications').get() as { count: number };
    const recipients = database
      .prepare('SELECT COUNT(*) AS count, COUNT(DISTINCT cursor) AS cursors FROM notification_recipients')
      .get() as { count: number; cursors: number };
    database.close();
    expect(notifications.count).toBe(64);
    expect(recipients).toEqual({ count: 128, cursors: 128 });
    const cursors = frames.map((frame) => Number(frame.data.cursor));
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
  });
});

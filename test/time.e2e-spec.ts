import { DataSource } from 'typeorm';
import { ExpiryCleanupWorker } from '../src/workers/expiry-cleanup.worker';
import { request, send } from './support/http';
import { runSql } from '../src/persistence/sql';
import { createTestDatabase, startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { waitUntil } from './support/wait';
import { TestClient } from './support/ws-client';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('Time: deliverAt and expiry', () => {
  let server: TestServer;
  const sender = senderToken();
  const inbox = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items as Array<{ id: string }>;
  const unread = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor(userId) })).body.count;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('holds a scheduled notification (not listed, not sent) until it is due, then delivers it live', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('scheduled-user'));
    const deliverAt = inSeconds(1.5);
    const response = await send(server.baseUrl, sender, { userIds: ['scheduled-user'], title: 'Reminder', deliverAt });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), recipients: 1, online: 0, suppressed: 0 });
    expect(await inbox('scheduled-user')).toEqual([]);
    expect(await unread('scheduled-user')).toBe(0);
    await client.roundTrip();
    expect(client.all('notification')).toHaveLength(0);

    const frame = await client.next('notification', 5000);
    expect(Date.now()).toBeGreaterThanOrEqual(new Date(deliverAt).getTime() - 50);
    expect(frame.data).toMatchObject({ id: response.body.id, title: 'Reminder', createdAt: deliverAt });
    expect((await inbox('scheduled-user')).map((item) => item.id)).toEqual([response.body.id]);
    await client.close();
  });

  it('releases a scheduled notification with its text verbatim, null bytes included', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('scheduled-nul-user'));
    const text = { title: 'due\u0000 \u0001', body: 'body\u0000' };
    const response = await send(server.baseUrl, sender, { userIds: ['scheduled-nul-user'], ...text, deliverAt: inSeconds(1) });
    expect(response.status).toBe(201);
    expect((await client.next('notification', 5000)).data).toMatchObject({ id: response.body.id, ...text });
    expect(await inbox('scheduled-nul-user')).toEqual([expect.objectContaining({ id: response.body.id, ...text })]);
    await client.close();
  });

  it('releases a scheduled topic send to the subscribers at delivery time', async () => {
    const response = await send(server.baseUrl, sender, { topic: 'later', title: 'Weekly digest', deliverAt: inSeconds(1) });
    expect(response.body.recipients).toBe(0);
    await request(server.baseUrl, 'PUT', '/topics/later/subscribers/digest-reader', { token: sender });
    const client = await TestClient.open(server.wsUrl, tokenFor('digest-reader'));
    expect((await client.next('notification', 5000)).data).toMatchObject({ id: response.body.id, topic: 'later' });
    await client.close();
  });

  it('releases a scheduled broadcast to the sessions connected when it is due', async () => {
    // Its own server: a broadcast reaches every user of the other tests too.
    const own = await startServer();
    try {
      const client = await TestClient.open(own.wsUrl, tokenFor('broadcast-listener'));
      const response = await send(own.baseUrl, sender, { broadcast: true, title: 'Scheduled for all', deliverAt: inSeconds(1) });
      expect(response.body).toMatchObject({ recipients: 0, online: 0 });
      expect((await client.next('notification', 5000)).data).toMatchObject({ id: response.body.id, title: 'Scheduled for all' });
      await client.close();
    } finally {
      await own.close();
    }
  });

  it('sends at once when deliverAt is already past', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('past-user'));
    const response = await send(server.baseUrl, sender, { userIds: ['past-user'], deliverAt: inSeconds(-60) });
    expect(response.body).toMatchObject({ recipients: 1, online: 1 });
    expect((await client.next('notification')).data.id).toBe(response.body.id);
    await client.close();
  });

  it('never lists, counts or replays an expired notification, and deletes it in the background', async () => {
    const kept = await send(server.baseUrl, sender, { userIds: ['ttl-user'], title: 'Kept' });
    const expiring = await send(server.baseUrl, sender, { userIds: ['ttl-user'], title: 'Short', ttlSeconds: 1 });
    expect(await unread('ttl-user')).toBe(2);
    await waitUntil(async () => (await inbox('ttl-user')).length === 1);
    expect(await unread('ttl-user')).toBe(1);
    const client = await TestClient.open(server.wsUrl, tokenFor('ttl-user'));
    await client.roundTrip();
    expect(client.all('notification').map((frame) => frame.data.id)).toEqual([kept.body.id]);
    await client.close();

    const database = server.app.get(DataSource);
    const count = async (sql: string, id: string) => Number((await runSql(database.manager, sql, [id])).rows[0].n);
    const rowsOf = async (id: string) =>
      (await count(`SELECT COUNT(*) AS n FROM notification_recipients WHERE notification_id = ?`, id)) +
      (await count(`SELECT COUNT(*) AS n FROM notifications WHERE id = ?`, id));
    expect(await rowsOf(expiring.body.id)).toBe(2);
    await server.app.get(ExpiryCleanupWorker).removeExpired();
    expect(await rowsOf(expiring.body.id)).toBe(0);
    expect(await rowsOf(kept.body.id)).toBe(2);
  });

  it('keeps a scheduled notification due across a restart', async () => {
    const database = await createTestDatabase();
    const before = await startServer({ database });
    const deliverAt = inSeconds(1.5);
    const response = await send(before.baseUrl, sender, { userIds: ['restart-user'], title: 'After restart', deliverAt });
    await before.close();

    const after = await startServer({ database });
    try {
      const client = await TestClient.open(after.wsUrl, tokenFor('restart-user'));
      expect((await client.next('notification', 5000)).data).toMatchObject({ id: response.body.id, title: 'After restart' });
      expect(Date.now()).toBeGreaterThanOrEqual(new Date(deliverAt).getTime() - 50);
      await client.close();
    } finally {
      await after.close();
      await database.remove();
    }
  });
});

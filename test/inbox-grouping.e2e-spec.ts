import { DataSource } from 'typeorm';
import { runSql } from '../src/persistence/sql';
import { ScheduledDeliveryWorker } from '../src/workers/scheduled-delivery.worker';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Grouping (groupKey)', () => {
  let server: TestServer;
  const sender = senderToken();
  const list = async (userId: string, query = '') =>
    (await request(server.baseUrl, 'GET', `/notifications${query}`, { token: tokenFor(userId) })).body.items;
  const unread = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor(userId) })).body.count;
  /** The user's rows of a key as stored, archived ones included, oldest first. */
  const rowsOf = async (userId: string, groupKey: string) => {
    const database = server.app.get(DataSource);
    const [user, key] = database.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    return database.query(
      `SELECT notification_id AS "id", group_count AS "groupCount", replaces, read_at AS "readAt", archived_at AS "archivedAt"
       FROM notification_recipients WHERE user_id = ${user} AND group_key = ${key} ORDER BY cursor`,
      [userId, groupKey],
    );
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("replaces the user's unread one of the key: archived, counted once, and the live frame says which", async () => {
    const user = 'g-ana';
    const client = await TestClient.open(server.wsUrl, tokenFor(user));
    const first = await send(server.baseUrl, sender, { userIds: [user], title: 'Alice commented', groupKey: 'post-1' });
    expect((await client.next('notification')).data).toMatchObject({
      id: first.body.id,
      groupKey: 'post-1',
      groupCount: 1,
      replaces: null,
    });
    expect((await client.next('unread')).data).toEqual({ count: 1, unseen: 1 });

    const second = await send(server.baseUrl, sender, { userIds: [user], title: 'Alice and 1 other commented', groupKey: 'post-1' });
    const [, replacing] = await client.waitFor('notification', 2);
    expect(replacing.data).toMatchObject({ id: second.body.id, groupKey: 'post-1', groupCount: 2, replaces: first.body.id });
    expect((await client.waitFor('unread', 2))[1].data).toEqual({ count: 1, unseen: 1 });

    expect(await list(user)).toEqual([expect.objectContaining({ id: second.body.id, groupCount: 2, replaces: first.body.id })]);
    expect(await unread(user)).toBe(1);
    const rows = await rowsOf(user, 'post-1');
    expect(rows.map((row: { id: string }) => row.id)).toEqual([first.body.id, second.body.id]);
    expect(rows[0].archivedAt).not.toBeNull();
    expect(rows[1].archivedAt).toBeNull();

    // Another key, or no key, is left alone.
    await send(server.baseUrl, sender, { userIds: [user], groupKey: 'post-2' });
    await send(server.baseUrl, sender, { userIds: [user] });
    expect(await unread(user)).toBe(3);
    await client.close();
  });

  it('starts a new group once the last one was read, and replaces per recipient', async () => {
    const first = await send(server.baseUrl, sender, { userIds: ['g-bo', 'g-cy'], groupKey: 'thread' });
    const read = await request(server.baseUrl, 'POST', `/notifications/${first.body.id}/read`, { token: tokenFor('g-bo') });
    expect(read.status).toBe(204);
    const second = await send(server.baseUrl, sender, { userIds: ['g-bo', 'g-cy', 'g-di'], groupKey: 'thread' });
    expect(await list('g-bo')).toEqual([
      expect.objectContaining({ id: second.body.id, groupCount: 1, replaces: null }),
      expect.objectContaining({ id: first.body.id, readAt: expect.any(String) }),
    ]);
    expect(await list('g-cy')).toEqual([expect.objectContaining({ id: second.body.id, groupCount: 2, replaces: first.body.id })]);
    expect(await list('g-di')).toEqual([expect.objectContaining({ id: second.body.id, groupCount: 1, replaces: null })]);
    expect([await unread('g-bo'), await unread('g-cy'), await unread('g-di')]).toEqual([1, 1, 1]);
  });

  it("replaces within a topic's subscribers too", async () => {
    for (const user of ['g-topic-1', 'g-topic-2']) {
      const subscribed = await request(server.baseUrl, 'PUT', `/topics/builds/subscribers/${user}`, { token: sender });
      expect(subscribed.status).toBe(204);
    }
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await send(server.baseUrl, sender, { topic: 'builds', title: `build ${index}`, groupKey: 'build-main' })).body.id);
    }
    for (const user of ['g-topic-1', 'g-topic-2']) {
      expect(await list(user)).toEqual([expect.objectContaining({ id: ids[2], topic: 'builds', groupCount: 3, replaces: ids[1] })]);
      expect(await unread(user)).toBe(1);
    }
  });

  it('replaces at release for a held send, as the inbox is then', async () => {
    const user = 'g-held';
    const first = await send(server.baseUrl, sender, { userIds: [user], groupKey: 'digest' });
    const held = await send(server.baseUrl, sender, { userIds: [user], groupKey: 'digest', deliverAt: '2031-01-01T09:00:00Z' });
    expect(await list(user)).toEqual([expect.objectContaining({ id: first.body.id })]);
    // Due now: moved into the past, then released by the worker as its poll would.
    const past = new Date(Date.now() - 1000).toISOString();
    await runSql(server.app.get(DataSource).manager, `UPDATE notifications SET deliver_at = ?, created_at = ? WHERE id = ?`, [
      past,
      past,
      held.body.id,
    ]);
    await server.app.get(ScheduledDeliveryWorker).releaseDue();
    expect(await list(user)).toEqual([expect.objectContaining({ id: held.body.id, groupCount: 2, replaces: first.body.id })]);
    expect(await unread(user)).toBe(1);
  });

  it('keeps the key of a snoozed notification that comes back, so the next send of the key replaces it', async () => {
    const user = 'g-snoozer';
    const first = await send(server.baseUrl, sender, { userIds: [user], groupKey: 'nap' });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await request(server.baseUrl, 'POST', `/notifications/${first.body.id}/snooze`, {
      token: tokenFor(user),
      body: { until },
    });
    expect(snoozed.status).toBe(204);
    // Due now, as if its time had come: it returns as new.
    const past = new Date(Date.now() - 1000).toISOString();
    await runSql(server.app.get(DataSource).manager, `UPDATE notification_snoozes SET until = ? WHERE user_id = ?`, [past, user]);
    await server.app.get(ScheduledDeliveryWorker).releaseDue();
    expect(await list(user)).toEqual([expect.objectContaining({ id: first.body.id, groupKey: 'nap' })]);
    const second = await send(server.baseUrl, sender, { userIds: [user], groupKey: 'nap' });
    expect(await list(user)).toEqual([expect.objectContaining({ id: second.body.id, groupCount: 2, replaces: first.body.id })]);
    expect(await unread(user)).toBe(1);
  });

  it('refuses a groupKey on a broadcast, naming it, and stores nothing', async () => {
    const response = await send(server.baseUrl, sender, { broadcast: true, title: 'grouped broadcast', groupKey: 'all' });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('groupKey');
    const stored = await server.app.get(DataSource).query(`SELECT id FROM notifications WHERE title = 'grouped broadcast'`);
    expect(stored).toEqual([]);
  });

  it('ends many concurrent sends of one key with one unread row per user and the right count', async () => {
    const users = ['g-many-1', 'g-many-2', 'g-many-3'];
    const sends = 16;
    const answers = await Promise.all(
      Array.from({ length: sends }, (_, index) => send(server.baseUrl, sender, { userIds: users, title: `n${index}`, groupKey: 'burst' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(new Array(sends).fill(201));
    for (const user of users) {
      const items = await list(user);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ groupKey: 'burst', groupCount: sends });
      expect(await unread(user)).toBe(1);
      const rows = await rowsOf(user, 'burst');
      expect(rows).toHaveLength(sends);
      expect(rows.filter((row: { archivedAt: string | null }) => row.archivedAt === null)).toHaveLength(1);
      // Each replaced the one before it: a chain through every send, counts 1…n.
      expect(rows.map((row: { groupCount: number }) => Number(row.groupCount))).toEqual(
        Array.from({ length: sends }, (_, index) => index + 1),
      );
      expect(rows.slice(1).map((row: { replaces: string }) => row.replaces)).toEqual(
        rows.slice(0, -1).map((row: { id: string }) => row.id),
      );
    }
  });
});

import { DataSource } from 'typeorm';
import { NotificationsService } from '../src/notifications/notifications.service';
import { runSql } from '../src/persistence/sql';
import { ScheduledDeliveryWorker } from '../src/workers/scheduled-delivery.worker';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const inHours = (hours: number) => inSeconds(hours * 3600);

/** GET, PATCH and DELETE /notifications/scheduled: a sender's held sends. */
describe('Held sends: list, move, cancel', () => {
  let server: TestServer;
  const alice = senderToken('alice-sender');
  const bob = senderToken('bob-sender');
  const scheduled = (token: string, query = '') => request(server.baseUrl, 'GET', `/notifications/scheduled${query}`, { token });
  const move = (token: string, id: string, body: unknown) =>
    request(server.baseUrl, 'PATCH', `/notifications/scheduled/${id}`, { token, body });
  const cancel = (token: string, id: string) => request(server.baseUrl, 'DELETE', `/notifications/scheduled/${id}`, { token });
  const inbox = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items as Array<{ id: string }>;
  /** Makes a held send due now, as if its time had come, and runs the release. */
  const releaseNow = async (id: string) => {
    const past = inSeconds(-1);
    await runSql(server.app.get(DataSource).manager, `UPDATE notifications SET deliver_at = ?, created_at = ? WHERE id = ?`, [
      past,
      past,
      id,
    ]);
    await server.app.get(ScheduledDeliveryWorker).releaseDue();
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("lists only the caller's held sends, soonest first, a keyset page at a time", async () => {
    const times = [inHours(3), inHours(1), inHours(2), inHours(1)];
    const sent: string[] = [];
    for (const [index, deliverAt] of times.entries()) {
      const response = await send(server.baseUrl, alice, { userIds: ['list-user'], title: `Held ${index}`, deliverAt, ttlSeconds: 60 });
      sent.push(response.body.id);
    }
    await send(server.baseUrl, alice, { userIds: ['list-user'], title: 'At once' });
    await send(server.baseUrl, bob, { topic: 'bobs-topic', title: "Bob's", deliverAt: inHours(1) });

    const first = await scheduled(alice, '?limit=3');
    expect(first.status).toBe(200);
    const second = await scheduled(alice, `?limit=3&after=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    const listed = [...first.body.items, ...second.body.items];
    // Ties (the same deliverAt) by id: UUIDv7, so in sending order.
    expect(listed.map((item) => item.id)).toEqual([sent[1], sent[3], sent[2], sent[0]]);
    expect(listed[0]).toEqual({
      id: sent[1],
      userIds: ['list-user'],
      topic: null,
      broadcast: false,
      type: 'test.event',
      title: 'Held 1',
      body: null,
      data: null,
      priority: 'normal',
      ttlSeconds: 60,
      deliverAt: times[1],
    });
    const bobs = (await scheduled(bob)).body.items;
    expect(bobs).toEqual([expect.objectContaining({ topic: 'bobs-topic', userIds: null, broadcast: false, title: "Bob's" })]);
    // An admin sees only their own held sends too.
    expect((await scheduled(tokenFor('ops', { scope: 'notifications:send notifications:admin' }))).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('moves a held send: its createdAt and expiry move with it, and it goes at the new time', async () => {
    const held = await send(server.baseUrl, alice, { userIds: ['moved-user'], title: 'Moved', deliverAt: inHours(5), ttlSeconds: 120 });
    const deliverAt = inSeconds(1);
    const moved = await move(alice, held.body.id, { deliverAt });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: held.body.id, deliverAt, ttlSeconds: 120 });

    const client = await TestClient.open(server.wsUrl, tokenFor('moved-user'));
    const frame = await client.next('notification', 5000);
    expect(frame.data).toMatchObject({
      id: held.body.id,
      createdAt: deliverAt,
      expiresAt: new Date(Date.parse(deliverAt) + 120_000).toISOString(),
    });
    await client.close();
    // Released: no longer held, so neither movable nor cancellable.
    expect((await move(alice, held.body.id, { deliverAt: inHours(1) })).status).toBe(404);
    expect((await cancel(alice, held.body.id)).status).toBe(404);
  });

  it('refuses a bad move with 400 naming deliverAt or id, and stores nothing', async () => {
    const deliverAt = inHours(4);
    const held = await send(server.baseUrl, alice, { userIds: ['bad-move-user'], deliverAt });
    const refusals: Array<[unknown, RegExp]> = [
      [{ deliverAt: inSeconds(-10) }, /deliverAt must be in the future/],
      [{ deliverAt: 'tomorrow' }, /deliverAt/],
      [{ deliverAt: '2030-01-01T09:00:00' }, /deliverAt must be an ISO 8601 date-time with a time zone/],
      [{ deliverAt: 1767258000000 }, /deliverAt/],
      [{}, /deliverAt/],
      [{ deliverAt: inHours(1), title: 'sneaky' }, /property title should not exist/],
    ];
    for (const [body, message] of refusals) {
      const response = await move(alice, held.body.id, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(response.body.message)).toMatch(message);
    }
    const notAnId = await move(alice, 'not-a-uuid', { deliverAt: inHours(1) });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.message).toMatch(/id must be a notification id/);
    const notJson = await request(server.baseUrl, 'PATCH', `/notifications/scheduled/${held.body.id}`, {
      token: alice,
      rawBody: 'deliverAt=tomorrow',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(415);
    const [item] = (await scheduled(alice)).body.items.filter((listed: { id: string }) => listed.id === held.body.id);
    expect(item.deliverAt).toBe(deliverAt);
  });

  it("answers 404 for another sender's held send, and 401 or 403 without a token or the send scope", async () => {
    const held = await send(server.baseUrl, alice, { userIds: ['private-user'], deliverAt: inHours(1) });
    const unknownId = '0193d2d1-0000-7000-8000-000000000000';
    for (const [token, id] of [
      [bob, held.body.id],
      [alice, unknownId],
    ]) {
      expect((await move(token, id, { deliverAt: inHours(2) })).status).toBe(404);
      expect((await cancel(token, id)).status).toBe(404);
    }
    // Admin without the send scope: no access to held sends, its own or anyone's.
    expect((await move(adminToken(), held.body.id, { deliverAt: inHours(2) })).status).toBe(403);
    expect((await cancel(adminToken(), held.body.id)).status).toBe(403);
    expect((await scheduled(tokenFor('private-user'))).status).toBe(403);
    expect((await request(server.baseUrl, 'GET', '/notifications/scheduled')).status).toBe(401);
    expect((await request(server.baseUrl, 'DELETE', `/notifications/scheduled/${held.body.id}`)).status).toBe(401);
    // Still held, unchanged.
    const [item] = (await scheduled(alice)).body.items.filter((listed: { id: string }) => listed.id === held.body.id);
    expect(item).toMatchObject({ userIds: ['private-user'] });
  });

  it('cancels a held send: 204, gone from the list, never released even once due, then 404', async () => {
    const held = await send(server.baseUrl, alice, { userIds: ['cancel-user'], title: 'Cancelled', deliverAt: inHours(1) });
    const kept = await send(server.baseUrl, alice, { userIds: ['cancel-user'], title: 'Kept', deliverAt: inHours(1) });
    expect((await cancel(alice, held.body.id)).status).toBe(204);
    expect((await cancel(alice, held.body.id)).status).toBe(404);
    expect((await move(alice, held.body.id, { deliverAt: inHours(2) })).status).toBe(404);
    expect((await scheduled(alice)).body.items.map((item: { id: string }) => item.id)).not.toContain(held.body.id);

    await releaseNow(kept.body.id);
    expect((await inbox('cancel-user')).map((item) => item.id)).toEqual([kept.body.id]);
    const rows = await runSql(server.app.get(DataSource).manager, `SELECT id FROM notifications WHERE id = ?`, [held.body.id]);
    expect(rows.rows).toEqual([]);
  });

  it('gives host code the same through NotificationsService, for sends made with or without a sender id', async () => {
    const service = server.app.get(NotificationsService);
    const fromHost = await service.send({ topic: 'host-digest', type: 'digest', title: 'From the host', deliverAt: inHours(6) });
    const page = await service.listScheduled(null);
    expect(page.items.map((item) => item.id)).toEqual([fromHost.id]);
    expect(await service.listScheduled('alice-sender', { limit: 1 })).toMatchObject({
      items: [expect.any(Object)],
      nextCursor: expect.any(String),
    });
    await expect(service.listScheduled(null, { after: 'nonsense' })).rejects.toThrow(/after must be/);
    await expect(service.reschedule(null, fromHost.id, inSeconds(-1))).rejects.toThrow(/deliverAt must be in the future/);
    expect(await service.reschedule('alice-sender', fromHost.id, inHours(7))).toBeUndefined();
    const deliverAt = inHours(8);
    expect(await service.reschedule(null, fromHost.id, deliverAt)).toMatchObject({ id: fromHost.id, deliverAt, topic: 'host-digest' });
    expect(await service.cancelScheduled('alice-sender', fromHost.id)).toBe(false);
    expect(await service.cancelScheduled(null, fromHost.id)).toBe(true);
    expect((await service.listScheduled(null)).items).toEqual([]);
  });
});

import { DataSource } from 'typeorm';
import { runSql } from '../src/persistence/sql';
import { Snoozes } from '../src/notifications/snoozes';
import { RetentionWorker } from '../src/workers/retention.worker';
import { ScheduledDeliveryWorker } from '../src/workers/scheduled-delivery.worker';
import { request, send } from './support/http';
import { startPoll, untilWaiting } from './support/polls';
import { SseTestClient } from './support/sse-client';
import { DAY_MS, storeNotification } from './support/stored-notifications';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/**
 * `POST /notifications/:id/snooze {until}`: the entry is out of lists, counts and replay until
 * `until`, then back as new (a new cursor, a live frame, unread) by the scheduled-delivery
 * worker. The service suite runs this spec again on PostgreSQL.
 */
describe('Snooze', () => {
  let server: TestServer;
  const sender = senderToken('snooze-sender');
  const db = () => server.app.get(DataSource).manager;
  const snooze = (userId: string, id: string, body: unknown) =>
    request(server.baseUrl, 'POST', `/notifications/${id}/snooze`, { token: tokenFor(userId), body });
  const inbox = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items as Array<Record<string, any>>;
  const unread = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor(userId) })).body.count as number;
  const sendTo = async (userIds: string[], extra: Record<string, unknown> = {}) =>
    (await send(server.baseUrl, sender, { userIds, title: 'Snooze me', ...extra })).body.id as string;
  const snoozesOf = async (userId: string) =>
    (await runSql(db(), `SELECT notification_id AS "id", until FROM notification_snoozes WHERE user_id = ?`, [userId])).rows;
  /** Makes the user's snoozes due now, as if their time had come, and runs the release. */
  const releaseNow = async (userId: string) => {
    await runSql(db(), `UPDATE notification_snoozes SET until = ? WHERE user_id = ?`, [new Date(Date.now() - 1000).toISOString(), userId]);
    await server.app.get(ScheduledDeliveryWorker).releaseDue();
  };

  beforeAll(async () => {
    server = await startServer({ env: { RETENTION_DAYS: '30' } });
  });
  afterAll(() => server.close());

  it('hides the notification from lists, counts and replay, and tells the other sessions the new unread count', async () => {
    const kept = await sendTo(['sz-ana']);
    const snoozed = await sendTo(['sz-ana', 'sz-bob']);
    const tab = await TestClient.open(server.wsUrl, tokenFor('sz-ana'));
    await tab.waitFor('notification', 2);
    expect(await unread('sz-ana')).toBe(2);

    const response = await snooze('sz-ana', snoozed, { until: inHours(2) });

    expect(response.status).toBe(204);
    expect((await tab.next('unread')).data).toEqual({ count: 1, unseen: 1 });
    expect((await inbox('sz-ana')).map((item) => item.id)).toEqual([kept]);
    expect(await unread('sz-ana')).toBe(1);
    const replay = await TestClient.open(server.wsUrl, tokenFor('sz-ana'), '0');
    await replay.roundTrip();
    expect(replay.all('notification').map((frame) => frame.data.id)).toEqual([kept]);
    expect(replay.all('ready')[0].data.unreadCount).toBe(1);
    // Only the caller's entry: the other recipient keeps theirs.
    expect((await inbox('sz-bob')).map((item) => item.id)).toEqual([snoozed]);
    await Promise.all([tab.close(), replay.close()]);
  });

  it('tells every session of the user (WebSocket and SSE) which one left, with until, before the counts; no one else', async () => {
    await sendTo(['sz-pia']);
    const id = await sendTo(['sz-pia', 'sz-quin']);
    const [tab, phone] = [await TestClient.open(server.wsUrl, tokenFor('sz-pia')), await TestClient.open(server.wsUrl, tokenFor('sz-pia'))];
    const stream = await SseTestClient.connect(server.baseUrl, tokenFor('sz-pia'));
    // The other recipient of the same notification, and another user.
    const [quin, stranger] = [
      await TestClient.open(server.wsUrl, tokenFor('sz-quin')),
      await TestClient.open(server.wsUrl, tokenFor('sz-rex')),
    ];
    await Promise.all([tab.waitFor('notification', 2), phone.waitFor('notification', 2), stream.waitFor('notification', 2)]);
    const until = inHours(2);

    expect((await snooze('sz-pia', id, { until })).status).toBe(204);

    const expected = { ids: [id], change: 'snoozed', at: expect.any(String), until };
    for (const session of [tab, phone]) {
      expect((await session.next('state')).data).toEqual(expected);
      expect((await session.next('unread')).data).toEqual({ count: 1, unseen: 1 });
      const events = session.frames.map((frame) => frame.event);
      expect(events.indexOf('state')).toBeLessThan(events.indexOf('unread'));
    }
    expect((await stream.next('state')).data).toEqual(expected);
    expect((await stream.next('unread')).data).toEqual({ count: 1, unseen: 1 });
    const { at } = (await tab.next('state')).data;
    expect((await phone.next('state')).data.at).toBe(at);
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
    for (const other of [quin, stranger]) {
      await other.roundTrip();
      expect(other.frames.filter((frame) => frame.event === 'state' || frame.event === 'unread')).toEqual([]);
    }
    await Promise.all([tab.close(), phone.close(), quin.close(), stranger.close()]);
    stream.close();
  });

  it('sends the same state frame for a snooze host code takes through Snoozes', async () => {
    const id = await sendTo(['sz-sol']);
    const tab = await TestClient.open(server.wsUrl, tokenFor('sz-sol'));
    await tab.waitFor('notification', 1);
    const until = new Date(Date.now() + 3_600_000).toISOString().replace('Z', '+00:00');

    expect(await server.app.get(Snoozes).snooze('sz-sol', id, until)).toBe(true);

    // `until` as stored: ISO 8601 UTC, whatever the spelling it was given in.
    expect((await tab.next('state')).data).toEqual({
      ids: [id],
      change: 'snoozed',
      at: expect.any(String),
      until: new Date(until).toISOString(),
    });
    expect((await tab.next('unread')).data).toEqual({ count: 0, unseen: 0 });
    // Refused (already snoozed): no frame.
    expect(await server.app.get(Snoozes).snooze('sz-sol', id, until)).toBe(false);
    await tab.roundTrip();
    expect(tab.all('state')).toHaveLength(1);
    await tab.close();
  });

  it('brings it back when due as new: a new cursor, a live frame with the unread count, unread again', async () => {
    const id = await sendTo(['sz-cleo']);
    const [before] = await inbox('sz-cleo');
    await request(server.baseUrl, 'POST', `/notifications/${id}/read`, { token: tokenFor('sz-cleo') });
    expect((await snooze('sz-cleo', id, { until: inHours(1) })).status).toBe(204);
    const later = await sendTo(['sz-cleo']);
    const tab = await TestClient.open(server.wsUrl, tokenFor('sz-cleo'));
    await tab.waitFor('notification', 1);
    const bystander = await TestClient.open(server.wsUrl, tokenFor('sz-dan'));

    await releaseNow('sz-cleo');

    const [, back] = await tab.waitFor('notification', 2);
    expect(back.data).toMatchObject({ id, readAt: null, deliveredAt: null, snoozedUntil: null, title: 'Snooze me' });
    expect(Number(back.data.cursor)).toBeGreaterThan(Number(tab.all('notification')[0].data.cursor));
    expect(Number(back.data.cursor)).toBeGreaterThan(Number(before.cursor));
    expect((await tab.waitFor('unread', 1))[0].data).toEqual({ count: 2, unseen: 2 });
    const items = await inbox('sz-cleo');
    expect(items.map((item) => item.id)).toEqual([id, later]);
    expect(items[0]).toMatchObject({ cursor: back.data.cursor, readAt: null, createdAt: before.createdAt });
    expect(await unread('sz-cleo')).toBe(2);
    expect(await snoozesOf('sz-cleo')).toEqual([]);
    // Released once: another run finds nothing to do.
    await server.app.get(ScheduledDeliveryWorker).releaseDue();
    await tab.roundTrip();
    expect(tab.all('notification')).toHaveLength(2);
    await bystander.roundTrip();
    expect(bystander.all('notification')).toEqual([]);
    await Promise.all([tab.close(), bystander.close()]);
  });

  it('refuses a bad until with a 400 naming it, and stores nothing', async () => {
    const id = await sendTo(['sz-eve']);
    const bodies: unknown[] = [
      {},
      { until: null },
      { until: 42 },
      { until: 'tomorrow' },
      { until: '2999-01-01T00:00:00' },
      { until: '2999-02-30T00:00:00Z' },
      { until: new Date(Date.now() - 60_000).toISOString() },
      { until: inHours(24 * 90 + 1) },
      { until: inHours(1), extra: true },
    ];
    for (const body of bodies) {
      const response = await snooze('sz-eve', id, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(response.body.message)).toMatch(/until|extra/);
    }
    const notJson = await request(server.baseUrl, 'POST', `/notifications/${id}/snooze`, {
      token: tokenFor('sz-eve'),
      rawBody: 'until=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(415);
    expect(await snoozesOf('sz-eve')).toEqual([]);
    expect((await inbox('sz-eve')).map((item) => item.id)).toEqual([id]);
    // 90 days ahead, less a minute, is fine.
    expect((await snooze('sz-eve', id, { until: inHours(24 * 90 - 0.02) })).status).toBe(204);
  });

  it("answers 404 for a notification that is not the caller's, archived, expired or already snoozed, and stores nothing", async () => {
    const theirs = await sendTo(['sz-fay']);
    const archived = await sendTo(['sz-gus']);
    await request(server.baseUrl, 'DELETE', `/notifications/${archived}`, { token: tokenFor('sz-gus') });
    const twice = await sendTo(['sz-gus']);
    expect((await snooze('sz-gus', twice, { until: inHours(1) })).status).toBe(204);
    const expired = await sendTo(['sz-gus'], { ttlSeconds: 60 });
    await runSql(db(), `UPDATE notification_recipients SET expires_at = ? WHERE notification_id = ?`, [
      new Date(Date.now() - 1000).toISOString(),
      expired,
    ]);

    for (const id of [theirs, archived, twice, expired, '0193d2d1-0000-7000-8000-000000000000']) {
      const response = await snooze('sz-gus', id, { until: inHours(3) });
      expect({ id, status: response.status }).toEqual({ id, status: 404 });
    }
    expect((await snooze('sz-gus', 'not-an-id', { until: inHours(3) })).status).toBe(400);
    expect(await snoozesOf('sz-gus')).toEqual([{ id: twice, until: expect.any(String) }]);
    // The first snooze's time stands.
    expect(Date.parse((await snoozesOf('sz-gus'))[0].until)).toBeLessThan(Date.parse(inHours(2)));
    expect((await inbox('sz-fay')).map((item) => item.id)).toEqual([theirs]);
  });

  it('never brings back one that expires before until', async () => {
    const id = await sendTo(['sz-hal'], { ttlSeconds: 3600 });
    expect((await snooze('sz-hal', id, { until: inHours(2) })).status).toBe(204);
    const tab = await TestClient.open(server.wsUrl, tokenFor('sz-hal'));
    // Its expiry comes before the snooze ends.
    await runSql(db(), `UPDATE notifications SET expires_at = ? WHERE id = ?`, [new Date(Date.now() - 1000).toISOString(), id]);

    await releaseNow('sz-hal');

    await tab.roundTrip();
    expect(tab.all('notification')).toEqual([]);
    expect(await inbox('sz-hal')).toEqual([]);
    expect(await snoozesOf('sz-hal')).toEqual([]);
    await tab.close();
  });

  it('keeps a snoozed broadcast out of the inbox (no catch-up puts it back) until it comes back', async () => {
    const id = (await send(server.baseUrl, sender, { broadcast: true, title: 'Everyone' })).body.id as string;
    expect((await inbox('sz-ivy')).map((item) => item.id)).toContain(id);
    expect((await snooze('sz-ivy', id, { until: inHours(1) })).status).toBe(204);

    expect((await inbox('sz-ivy')).map((item) => item.id)).not.toContain(id);
    const session = await TestClient.open(server.wsUrl, tokenFor('sz-ivy'));
    await session.roundTrip();
    expect(session.all('notification').map((frame) => frame.data.id)).not.toContain(id);

    await releaseNow('sz-ivy');
    expect((await session.waitFor('notification', session.all('notification').length + 1)).map((frame) => frame.data.id)).toContain(id);
    expect((await inbox('sz-ivy'))[0]).toMatchObject({ id, readAt: null });
    await session.close();
  });

  it('keeps through retention a notification whose only recipient snoozed it, and brings it back', async () => {
    const dataSource = server.app.get(DataSource);
    const id = await storeNotification(dataSource, { ageMs: 40 * DAY_MS, entries: [{ userId: 'sz-jo' }] });
    expect((await snooze('sz-jo', id, { until: inHours(1) })).status).toBe(204);

    expect(await server.app.get(RetentionWorker).sweep()).toMatchObject({ notifications: 0 });

    await releaseNow('sz-jo');
    // (The live broadcast of the test before reaches this user too.)
    expect((await inbox('sz-jo')).map((item) => item.id)).toContain(id);
  });

  it("keeps a notification another recipient snoozed when one recipient's data is erased, and it still comes back", async () => {
    const id = await sendTo(['sz-kim', 'sz-lou']);
    expect((await snooze('sz-lou', id, { until: inHours(1) })).status).toBe(204);

    expect((await request(server.baseUrl, 'DELETE', '/users/sz-kim/data', { token: adminToken() })).status).toBe(204);

    await releaseNow('sz-lou');
    expect((await inbox('sz-lou')).map((item) => item.id)).toContain(id);
  });

  it('wakes a long poll waiting after the latest cursor when it comes back', async () => {
    const id = await sendTo(['sz-max']);
    const [{ cursor }] = await inbox('sz-max');
    expect((await snooze('sz-max', id, { until: inHours(1) })).status).toBe(204);
    const poll = startPoll(server.baseUrl, tokenFor('sz-max'), `after=${cursor}&wait=10`);
    await untilWaiting(server.app, 1);

    await releaseNow('sz-max');

    const { status, body } = await poll.answer;
    expect(status).toBe(200);
    expect(body.items).toEqual([expect.objectContaining({ id, readAt: null, snoozedUntil: null })]);
    expect(Number(body.items[0].cursor)).toBeGreaterThan(Number(cursor));
  });

  it('keeps the action taken and the place in a group through a snooze: another action is still refused', async () => {
    const actions = [
      { id: 'approve', label: 'Approve' },
      { id: 'reject', label: 'Reject' },
    ];
    await sendTo(['sz-gus'], { groupKey: 'thread-1' });
    const id = await sendTo(['sz-gus'], { groupKey: 'thread-1', actions });
    const take = (actionId: string) =>
      request(server.baseUrl, 'POST', `/notifications/${id}/actions/${actionId}`, { token: tokenFor('sz-gus') });
    const taken = await take('approve');
    expect(taken.status).toBe(200);
    expect((await snooze('sz-gus', id, { until: inHours(1) })).status).toBe(204);

    await releaseNow('sz-gus');

    const [back] = await inbox('sz-gus');
    expect(back).toMatchObject({ id, actionId: 'approve', actionedAt: taken.body.actionedAt, groupCount: 2, replaces: expect.any(String) });
    expect((await take('reject')).status).toBe(409);
    expect((await take('approve')).body).toEqual(taken.body);
  });
});

import { DataSource } from 'typeorm';
import { NotificationsService } from '../src/notifications/notifications.service';
import { MODULE_TABLES } from '../src/persistence/table-naming';
import { request } from './support/http';
import { SseTestClient } from './support/sse-client';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor, tokenIssuedIn } from './support/tokens';
import { rowsMentioning, storeUserData } from './support/user-data-scenario';
import { TestClient } from './support/ws-client';

/** Written only with a channel configured (not here): user-data-channels.e2e-spec erases them. */
const CHANNEL_TABLES: string[] = [
  'notification_outbox',
  'notification_channel_attempts',
  'notification_push_subscriptions',
  'notification_user_contacts',
  'notification_webhook_events',
];

const EMPTY_SECTIONS = {
  snoozedNotifications: [],
  inbox: [],
  heldNotifications: [],
  topicSubscriptions: [],
  idempotencyKeys: [],
  sentNotifications: [],
  revocations: [],
  preferences: [],
  pushSubscriptions: [],
  contacts: [],
  channelDeliveries: [],
  webhookEvents: [],
};

/**
 * `GET /users/:userId/data` and `DELETE /users/:userId/data`: everything stored about a user,
 * read out or erased. The service suite runs this spec again on PostgreSQL.
 */
describe("A user's data", () => {
  let server: TestServer;
  let dataSource: DataSource;
  const exportData = (userId: string, token = adminToken()) =>
    request(server.baseUrl, 'GET', `/users/${encodeURIComponent(userId)}/data`, { token });
  const erase = (userId: string, token = adminToken()) =>
    request(server.baseUrl, 'DELETE', `/users/${encodeURIComponent(userId)}/data`, { token });

  beforeAll(async () => {
    server = await startServer();
    dataSource = server.app.get(DataSource);
  });
  afterAll(() => server.close());

  it('exports a user the server knows nothing of as empty lists, and erases them with 204, as often as asked', async () => {
    const exported = await exportData('stranger');
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual({ userId: 'stranger', exportedAt: expect.any(String), ...EMPTY_SECTIONS });
    expect((await erase('stranger')).status).toBe(204);
    expect((await erase('stranger')).status).toBe(204);
  });

  it('exports every section: inbox entries with their states, held sends, topics, keys, sends, revocation', async () => {
    const sent = await storeUserData(server.baseUrl, 'exp-ana', 'exp-bob');
    await request(server.baseUrl, 'POST', '/users/exp-ana/revoke', { token: adminToken() });

    const { status, body } = await exportData('exp-ana');

    expect(status).toBe(200);
    const inbox = Object.fromEntries(body.inbox.map((entry: any) => [entry.id, entry]));
    expect(Object.keys(inbox).sort()).toEqual([sent.onlyTheirs, sent.shared, sent.topicSend, sent.broadcast].sort());
    expect(inbox[sent.shared]).toMatchObject({
      title: 'For both',
      readAt: expect.any(String),
      archivedAt: null,
      cursor: expect.any(String),
    });
    expect(inbox[sent.topicSend]).toMatchObject({ topic: 'topic-with-exp-bob', readAt: null, archivedAt: expect.any(String) });
    expect(inbox[sent.onlyTheirs]).toMatchObject({ readAt: null, archivedAt: null, deliveredAt: null });
    expect(body.snoozedNotifications).toEqual([
      { id: sent.snoozed, type: 'test.event', title: 'Snoozed by you', snoozedAt: expect.any(String), snoozedUntil: expect.any(String) },
    ]);
    expect(body.heldNotifications.map((held: any) => held.id).sort()).toEqual([sent.heldForBoth, sent.heldForThem].sort());
    expect(body.heldNotifications[0]).toEqual({
      id: expect.any(String),
      type: 'test.event',
      title: expect.any(String),
      deliverAt: expect.any(String),
    });
    expect(body.topicSubscriptions).toEqual([{ topic: 'topic-with-exp-bob', createdAt: expect.any(String) }]);
    expect(body.idempotencyKeys).toEqual([{ key: 'key-of-exp-ana', createdAt: expect.any(String) }]);
    expect(body.sentNotifications).toEqual([{ id: sent.sentByThem, type: 'test.event', createdAt: expect.any(String), audience: 'users' }]);
    expect(body.revocations).toEqual([{ revokedBefore: expect.any(String) }]);
    expect(body.preferences).toEqual([
      { channels: {}, types: { 'muted.*': { inApp: false } }, topics: {}, quietHours: null, email: 'exp-ana@example.com' },
    ]);
    // Host code gets the same from the service.
    const fromService = await server.app.get(NotificationsService).exportUserData('exp-ana');
    expect({ ...fromService, exportedAt: '' }).toEqual({ ...body, exportedAt: '' });
  });

  it("erases all of it: nothing of the user is left in any table but the erasure's revocation, and the others keep theirs", async () => {
    const user = 'erase-ana-7f3';
    const sent = await storeUserData(server.baseUrl, user, 'erase-bob');
    const tabs = [await TestClient.open(server.wsUrl, tokenFor(user)), await TestClient.open(server.wsUrl, tokenFor(user))];
    const stream = await SseTestClient.connect(server.baseUrl, tokenFor(user));
    const bystander = await TestClient.open(server.wsUrl, tokenFor('erase-bob'));
    // Every table this server writes (no channel is configured here, so the channel tables stay
    // empty; the tenants and cursor marks tables hold no user's data, and this server has no tenants).
    const aboutNoUser = ['notification_revocations', 'notification_tenants', 'notification_cursor_marks', ...CHANNEL_TABLES];
    expect(Object.keys(await rowsMentioning((sql) => dataSource.query(sql), user)).sort()).toEqual(
      [...MODULE_TABLES].filter((table) => !aboutNoUser.includes(table)).sort(),
    );

    // Minted before the erasure: whatever second the erasure falls in, this token predates it.
    const tokenFromBefore = tokenFor(user);
    expect((await erase(user)).status).toBe(204);

    expect(await Promise.all(tabs.map((tab) => tab.waitForClose()))).toEqual([4403, 4403]);
    expect((await stream.next('close')).data).toEqual({ code: 4403, reason: 'access revoked' });
    expect(await rowsMentioning((sql) => dataSource.query(sql), user)).toEqual({
      notification_revocations: [{ user_id: user, revoked_before: expect.any(String) }],
    });
    const ids = (await dataSource.query('SELECT id FROM notifications')).map((row: { id: string }) => row.id);
    // Only theirs: gone. Held for them alone: gone. The rest is the other user's too.
    expect(ids).not.toContain(sent.onlyTheirs);
    expect(ids).not.toContain(sent.heldForThem);
    expect(ids).not.toContain(sent.snoozed);
    expect(ids).toEqual(expect.arrayContaining([sent.shared, sent.topicSend, sent.broadcast, sent.heldForBoth, sent.sentByThem]));
    const bob = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('erase-bob') });
    expect(bob.body.items.map((item: any) => item.id)).toEqual(
      expect.arrayContaining([sent.shared, sent.topicSend, sent.broadcast, sent.sentByThem]),
    );
    await bystander.roundTrip();
    expect(bystander.closeCode).toBeUndefined();
    // Tokens from before the erasure are refused; a later one works, on an inbox that starts over.
    expect((await request(server.baseUrl, 'GET', '/notifications', { token: tokenFromBefore })).status).toBe(401);
    const fresh = await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenIssuedIn(user, 1) });
    expect(fresh.status).toBe(200);
    expect((await erase(user)).status).toBe(204);
    await bystander.close();
    stream.close();
  });

  it('lets the held send that named others still reach them, without the erased user', async () => {
    const user = 'held-ana';
    await storeUserData(server.baseUrl, user, 'held-bob');
    await erase(user);
    const held = await dataSource.query(`SELECT pending_audience FROM notifications WHERE pending_audience IS NOT NULL`);
    expect(held.map((row: { pending_audience: string }) => JSON.parse(row.pending_audience))).toContainEqual({
      kind: 'users',
      userIds: ['held-bob'],
    });
  });

  it.each([
    ['GET', 'no token', 401, undefined],
    ['GET', 'a sender token', 403, senderToken()],
    ['GET', 'a user token', 403, tokenFor('nosy')],
    ['DELETE', 'no token', 401, undefined],
    ['DELETE', 'a sender token', 403, senderToken()],
    ['DELETE', 'a user token', 403, tokenFor('exp-bob')],
  ])('answers %s with %s: %i, and erases nothing', async (method, _label, status, token) => {
    expect((await request(server.baseUrl, method, '/users/exp-ana/data', { token })).status).toBe(status);
    expect((await exportData('exp-ana')).body.topicSubscriptions).toHaveLength(1);
  });

  it.each(['GET', 'DELETE'])('%s refuses a user id that cannot be one with 400 naming userId', async (method) => {
    const response = await request(server.baseUrl, method, `/users/${'x'.repeat(256)}/data`, { token: adminToken() });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/^userId must be/);
  });
});

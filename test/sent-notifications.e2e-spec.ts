import { DataSource } from 'typeorm';
import { Principal, SenderPolicy } from '../src/index';
import { HostApps, RoleSenderPolicy } from './support/host-app';
import { request, send } from './support/http';
import { storeNotification } from './support/stored-notifications';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/**
 * `GET /notifications/sent`: the audit of sends. A scripted scenario (direct sends, some
 * acknowledged, some read, a topic send, a held send, a broadcast) and the counts the audit
 * must give for it. The service suite runs this spec again on PostgreSQL.
 */
describe('The audit of sends', () => {
  let server: TestServer;
  const sent: Record<'direct' | 'billing' | 'topic' | 'held' | 'broadcast', string> = {} as never;
  const audit = (query = '', token = adminToken()) => request(server.baseUrl, 'GET', `/notifications/sent${query}`, { token });
  const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);

  beforeAll(async () => {
    server = await startServer();
    const [alpha, beta] = [senderToken('audit-alpha'), senderToken('audit-beta')];
    const sendAs = async (token: string, body: Record<string, unknown>) => (await send(server.baseUrl, token, body)).body.id as string;

    // Direct to three users: one acknowledges it on a socket, one reads it over REST, one does nothing.
    const acker = await TestClient.open(server.wsUrl, tokenFor('audit-u1'));
    sent.direct = await sendAs(alpha, { userIds: ['audit-u1', 'audit-u2', 'audit-u3'], title: 'Direct' });
    await acker.next('notification');
    acker.send('ack', { ids: [sent.direct] });
    await acker.roundTrip();
    await request(server.baseUrl, 'POST', `/notifications/${sent.direct}/read`, { token: tokenFor('audit-u2') });

    // Another sender and type, read with a frame (which counts as delivered too); a second
    // recipient has billing turned off in-app, so the send skips them (suppressed).
    const reader = await TestClient.open(server.wsUrl, tokenFor('audit-u4'));
    const muted = { types: { 'billing.*': { inApp: false } } };
    await request(server.baseUrl, 'PUT', '/preferences', { token: tokenFor('audit-muted'), body: muted });
    sent.billing = await sendAs(beta, { userIds: ['audit-u4', 'audit-muted'], type: 'billing.due', title: 'Pay' });
    await reader.next('notification');
    reader.send('read', { ids: [sent.billing] });
    // Frames are handled in turn: the pong means the read is stored.
    await reader.roundTrip();

    // A topic of two subscribers, one of whom acknowledges.
    for (const user of ['audit-u5', 'audit-u6'])
      await request(server.baseUrl, 'PUT', `/topics/audit-news/subscribers/${user}`, { token: alpha });
    const subscriber = await TestClient.open(server.wsUrl, tokenFor('audit-u5'));
    sent.topic = await sendAs(alpha, { topic: 'audit-news', title: 'News' });
    const [frame] = await subscriber.waitFor('notification');
    subscriber.send('ack', { ids: [frame.data.id] });
    await subscriber.roundTrip();

    // Held for tomorrow: no inbox yet.
    sent.held = await sendAs(alpha, { userIds: ['audit-u9'], title: 'Later', deliverAt: new Date(Date.now() + 86_400_000).toISOString() });
    await Promise.all([acker, reader, subscriber].map((client) => client.close()));

    // A broadcast reaches two users who list their inbox; one of them reads everything.
    sent.broadcast = await sendAs(beta, { broadcast: true, title: 'Everyone' });
    for (const user of ['audit-u7', 'audit-u8']) await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(user) });
    await request(server.baseUrl, 'POST', '/notifications/read-all', { token: tokenFor('audit-u8') });
  });
  afterAll(() => server.close());

  it('lists every send newest first, with counts that match what the recipients did', async () => {
    const { status, body } = await audit();
    expect(status).toBe(200);
    expect(body.nextCursor).toBeNull();
    const item = (id: string) => body.items.find((entry: { id: string }) => entry.id === id);
    expect(ids({ body })).toEqual([sent.broadcast, sent.held, sent.topic, sent.billing, sent.direct]);
    expect(item(sent.direct)).toEqual({
      id: sent.direct,
      type: 'test.event',
      title: 'Direct',
      senderId: 'audit-alpha',
      createdAt: expect.any(String),
      audience: 'users',
      recipients: 3,
      delivered: 2,
      read: 1,
      suppressed: 0,
    });
    expect(item(sent.billing)).toMatchObject({
      senderId: 'audit-beta',
      type: 'billing.due',
      recipients: 1,
      delivered: 1,
      read: 1,
      suppressed: 1,
    });
    expect(item(sent.topic)).toMatchObject({ audience: 'topic', recipients: 2, delivered: 1, read: 0, suppressed: 0 });
    expect(item(sent.held)).toMatchObject({ audience: 'users', recipients: 0, delivered: 0, read: 0 });
    expect(item(sent.broadcast)).toMatchObject({ audience: 'broadcast', recipients: 2, delivered: 1, read: 1 });
  });

  it('filters by sender, by type and by creation time', async () => {
    expect(ids(await audit('?senderId=audit-beta'))).toEqual([sent.broadcast, sent.billing]);
    expect(ids(await audit('?type=billing.due'))).toEqual([sent.billing]);
    expect(ids(await audit('?senderId=audit-alpha&type=billing.due'))).toEqual([]);
    const topicCreatedAt = (await audit()).body.items.find((item: { id: string }) => item.id === sent.topic).createdAt;
    // A held send is created when it is due, tomorrow.
    expect(ids(await audit(`?since=${encodeURIComponent(topicCreatedAt)}`))).toEqual([sent.broadcast, sent.held, sent.topic]);
    expect(ids(await audit('?since=2999-01-01T00:00:00%2B02:00'))).toEqual([]);
  });

  it('pages with nextCursor, none twice and none left out', async () => {
    const first = await audit('?limit=2');
    expect(ids(first)).toEqual([sent.broadcast, sent.held]);
    const second = await audit(`?limit=2&before=${first.body.nextCursor}`);
    expect(ids(second)).toEqual([sent.topic, sent.billing]);
    const third = await audit(`?limit=2&before=${second.body.nextCursor}`);
    expect(third.body).toMatchObject({ items: [expect.objectContaining({ id: sent.direct })], nextCursor: null });
  });

  it('finds a rare match behind thousands of newer notifications', async () => {
    const dataSource = server.app.get(DataSource);
    for (let index = 0; index < 2500; index++) await storeNotification(dataSource, { ageMs: -index, senderId: 'audit-noise' });
    expect(ids(await audit('?type=billing.due'))).toEqual([sent.billing]);
    const page = await audit('?senderId=audit-noise&limit=100');
    expect(page.body.items).toHaveLength(100);
    expect(ids(await audit(`?senderId=audit-noise&limit=100&before=${page.body.nextCursor}`))).toHaveLength(100);
    await dataSource.query(`DELETE FROM notifications WHERE sender_id = 'audit-noise'`);
  });

  it.each([
    ['senderId', `?senderId=${'x'.repeat(256)}`, /^senderId must be/],
    ['type', '?type=Not%20A%20Type', /^type must match/],
    ['type', '?type=a&type=b', /^type must/],
    ['since', '?since=yesterday', /^since must be an ISO 8601 date-time/],
    ['since', '?since=2026-12-01', /^since must be an ISO 8601 date-time with a time zone/],
    ['limit', '?limit=0', /^limit must not be less than 1/],
    ['limit', '?limit=101', /^limit must not be greater than 100/],
    ['before', '?before=42', /^before must be a nextCursor/],
    ['an unknown parameter', '?unread=true', /^property unread should not exist/],
  ])('refuses a bad %s with 400 naming it', async (_field, query, message) => {
    const { status, body } = await audit(query);
    expect(status).toBe(400);
    expect([body.message].flat()).toContainEqual(expect.stringMatching(message));
  });

  it('is for administrators: 401 without a token, 403 for a sender or a user (not their inbox)', async () => {
    expect((await request(server.baseUrl, 'GET', '/notifications/sent')).status).toBe(401);
    expect((await audit('', senderToken('audit-alpha'))).status).toBe(403);
    expect((await audit('', tokenFor('audit-u1'))).status).toBe(403);
  });
});

/** A host's policy: tokens with the `admin` role administer. */
class AdminRolePolicy implements SenderPolicy {
  private readonly senders = new RoleSenderPolicy();
  canSend(principal: Principal): boolean {
    return this.senders.canSend(principal);
  }
  canAdminister(principal: Principal): boolean {
    return Array.isArray(principal.claims.roles) && principal.claims.roles.includes('admin');
  }
}

describe('The audit of sends on an Express host', () => {
  const hosts = new HostApps();
  afterAll(async () => {
    await hosts.closeAll();
    hosts.remove();
  });

  it('answers GET /notifications/sent itself, next to the inbox routes (Express matches routes in order)', async () => {
    const { baseUrl } = await hosts.boot({ senderPolicy: new AdminRolePolicy() });
    const sent = await send(baseUrl, tokenFor('host-ops', { claims: { roles: ['ops'] } }), { userIds: ['host-user'] });
    const audit = await request(baseUrl, 'GET', '/notifications/sent', { token: tokenFor('host-admin', { claims: { roles: ['admin'] } }) });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ id: sent.body.id, senderId: 'host-ops', recipients: 1 })]);
    const inbox = await request(baseUrl, 'GET', '/notifications', { token: tokenFor('host-user') });
    expect(inbox.body.items).toEqual([expect.objectContaining({ id: sent.body.id })]);
  });
});

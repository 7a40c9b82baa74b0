import { DataSource } from 'typeorm';
import { generateVAPIDKeys } from 'web-push';
import { eventually } from './support/eventually';
import { request, send } from './support/http';
import { PushService } from './support/peers/push-service';
import { SmtpPeer } from './support/peers/smtp-peer';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { rowsMentioning } from './support/user-data-scenario';

const SUBJECT = 'mailto:ops@example.test';

/**
 * A user's data in the channel tables (push subscriptions, the email claim kept, channel plans
 * and attempts, lifecycle events waiting for the webhook): exported and erased with the rest.
 * Every channel is configured against a real peer; the webhook points at a port nobody
 * listens on, so its events stay queued. The service suite runs this spec again on PostgreSQL.
 */
describe("A user's data in the channel tables", () => {
  const vapid = generateVAPIDKeys();
  let push: PushService;
  let smtp: SmtpPeer;
  let server: TestServer;
  let dataSource: DataSource;
  const withEmail = (userId: string) => tokenFor(userId, { claims: { email: `${userId}@example.test` } });
  const exportData = (userId: string) => request(server.baseUrl, 'GET', `/users/${userId}/data`, { token: adminToken() });

  beforeAll(async () => {
    push = await PushService.start(SUBJECT);
    smtp = await SmtpPeer.start();
    server = await startServer({
      env: {
        WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        WEB_PUSH_SUBJECT: SUBJECT,
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'Notifications <notify@example.test>',
        EMAIL_AFTER_SECONDS: '0',
        WEBHOOK_URL: 'http://127.0.0.1:9/hooks',
        WEBHOOK_SECRET: `whsec_${Buffer.from('a webhook key of 32 bytes, fixed').toString('base64')}`,
        CHANNEL_POLL_MS: '20',
        CHANNEL_RETRY_BASE_MS: '60000',
      },
    });
    dataSource = server.app.get(DataSource);
  });
  afterAll(async () => {
    await server.close();
    await push.close();
    await smtp.close();
  });

  /** A push subscription, the email claim, a send to the user alone and one shared with `other`, both pushed and mailed. */
  async function storeChannelData(userId: string, other: string): Promise<{ onlyTheirs: string; shared: string }> {
    for (const each of [userId, other]) {
      const subscribed = await request(server.baseUrl, 'POST', '/push/subscriptions', {
        token: withEmail(each),
        body: push.subscribe().json,
      });
      expect(subscribed.status).toBe(201);
    }
    const onlyTheirs = (await send(server.baseUrl, senderToken(), { userIds: [userId], title: 'Yours' })).body.id;
    const shared = (await send(server.baseUrl, senderToken(), { userIds: [userId, other], title: 'Both' })).body.id;
    // Settled: pushed and mailed to both (an attempt each), and the lifecycle events queued.
    await eventually(
      () => dataSource.query(`SELECT status FROM notification_outbox WHERE notification_id IN ('${onlyTheirs}', '${shared}')`),
      (rows: { status: string }[]) => rows.length === 6 && rows.every((row) => row.status === 'sent'),
    );
    await eventually(
      () => dataSource.query(`SELECT payload FROM notification_webhook_events`),
      (rows: { payload: string }[]) => rows.filter((row) => row.payload.includes(shared)).length > 0,
    );
    return { onlyTheirs, shared };
  }

  it('exports the push subscriptions, the email kept, the channel plans and the queued events naming the user', async () => {
    const sent = await storeChannelData('ch-exp-ana', 'ch-exp-bob');

    const { status, body } = await exportData('ch-exp-ana');

    expect(status).toBe(200);
    expect(body.pushSubscriptions).toEqual([{ endpoint: expect.stringContaining(push.origin), createdAt: expect.any(String) }]);
    expect(body.contacts).toEqual([{ email: 'ch-exp-ana@example.test', updatedAt: expect.any(String) }]);
    const plans = body.channelDeliveries.map((plan: any) => `${plan.notificationId === sent.shared ? 'shared' : 'theirs'} ${plan.channel}`);
    expect(plans.sort()).toEqual(['shared email', 'shared push', 'theirs email', 'theirs push']);
    expect(body.channelDeliveries[0]).toEqual({
      notificationId: sent.onlyTheirs,
      channel: expect.any(String),
      status: 'sent',
      attempts: 1,
      plannedAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(body.webhookEvents.map((event: any) => event.type)).toContain('notification.created');
  });

  it('erases every row of the user in the channel tables, keeps the other recipient whole, and forgets the kept email', async () => {
    const user = 'ch-erase-ana-5c1';
    const other = 'ch-erase-bob';
    const sent = await storeChannelData(user, other);
    const before = await rowsMentioning((sql) => dataSource.query(sql), user);
    for (const table of [
      'notification_push_subscriptions',
      'notification_user_contacts',
      'notification_outbox',
      'notification_channel_attempts',
    ]) {
      expect(before[table]).toBeDefined();
    }
    expect(before.notification_webhook_events).toBeDefined();
    const otherBefore = await rowsMentioning((sql) => dataSource.query(sql), other);

    // Issued before the erasure: minted after it, in the same second as the revocation or the
    // next, its iat could be later than the revocation and the token rightly accepted.
    const fromBefore = withEmail(user);
    expect((await request(server.baseUrl, 'DELETE', `/users/${user}/data`, { token: adminToken() })).status).toBe(204);

    expect(await rowsMentioning((sql) => dataSource.query(sql), user)).toEqual({
      notification_revocations: [{ user_id: user, revoked_before: expect.any(String) }],
    });
    // The other recipient keeps their subscription, plans, attempts and the shared send's events.
    const otherAfter = await rowsMentioning((sql) => dataSource.query(sql), other);
    for (const table of [
      'notification_push_subscriptions',
      'notification_user_contacts',
      'notification_outbox',
      'notification_channel_attempts',
    ]) {
      expect(otherAfter[table]).toEqual(otherBefore[table]);
    }
    const events = (await dataSource.query(`SELECT payload FROM notification_webhook_events`)).map((row: any) => JSON.parse(row.payload));
    const created = events.find((event: any) => event.type === 'notification.created' && event.data.notification.id === sent.shared);
    expect(created.data.audience).toEqual({ kind: 'users', userIds: [other] });

    // A token from before the erasure is refused and its email claim is not kept again.
    const refused = await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: fromBefore });
    expect(refused.status).toBe(401);
    // One issued later records the address again (this node forgot what it had written).
    const later = tokenFor(user, { claims: { email: `${user}@example.test`, iat: Math.floor(Date.now() / 1000) + 1 } });
    const laterAt = new Date().toISOString();
    expect((await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: later })).status).toBe(200);
    const [kept] = await eventually<{ updated_at: string }[]>(
      () => dataSource.query(`SELECT updated_at FROM notification_user_contacts WHERE user_id = '${user}'`),
      (rows) => rows.length === 1,
    );
    // Written for the later token, not for the refused one.
    expect(kept.updated_at >= laterAt).toBe(true);
  });
});

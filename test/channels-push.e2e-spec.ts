import { generateVAPIDKeys } from 'web-push';
import { request, send } from './support/http';
import { eventually } from './support/eventually';
import { PushService } from './support/peers/push-service';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { UNTOUCHED_RECIPIENT_FIELDS } from './support/notification-content';

const SUBJECT = 'mailto:ops@example.test';

describe('Web Push', () => {
  const vapid = generateVAPIDKeys();
  const pushEnv = {
    WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
    WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
    WEB_PUSH_SUBJECT: SUBJECT,
    CHANNEL_POLL_MS: '20',
    CHANNEL_RETRY_BASE_MS: '20',
  };
  let push: PushService;
  let server: TestServer;
  const sender = senderToken();
  const subscribe = (userId: string, body: unknown, target = server) =>
    request(target.baseUrl, 'POST', '/push/subscriptions', { token: tokenFor(userId), body });
  const deliveries = (id: string) => request(server.baseUrl, 'GET', `/notifications/${id}/deliveries`, { token: sender });

  beforeAll(async () => {
    push = await PushService.start(SUBJECT);
    server = await startServer({ env: pushEnv });
  });
  afterAll(async () => {
    await server.close();
    await push.close();
  });

  it('gives browsers the VAPID public key', async () => {
    const response = await request(server.baseUrl, 'GET', '/push/vapid-public-key', { token: tokenFor('any') });
    expect(response).toMatchObject({ status: 200, body: { key: vapid.publicKey } });
  });

  it("pushes an offline user's notification to each browser: VAPID-signed, encrypted, the Notification JSON", async () => {
    const laptop = push.subscribe();
    const phone = push.subscribe();
    expect((await subscribe('pia', laptop.json)).status).toBe(201);
    expect((await subscribe('pia', phone.json)).status).toBe(201);
    const sent = await send(server.baseUrl, sender, {
      userIds: ['pia'],
      type: 'build.failed',
      title: 'Build <failed>',
      body: 'main is red',
      priority: 'high',
    });
    const messages = await push.waitFor((all) => all.filter((each) => each.payload.id === sent.body.id).length === 2);
    const ours = messages.filter((each) => each.payload.id === sent.body.id);
    expect(ours.map((each) => each.subscription).sort()).toEqual([laptop.id, phone.id].sort());
    for (const message of ours) {
      expect(message.payload).toEqual({
        id: sent.body.id,
        cursor: expect.any(String),
        type: 'build.failed',
        title: 'Build <failed>',
        body: 'main is red',
        critical: false,
        data: null,
        priority: 'high',
        topic: null,
        createdAt: expect.any(String),
        expiresAt: null,
        ...UNTOUCHED_RECIPIENT_FIELDS,
        actions: [],
        groupKey: null,
      });
      expect(message.claims).toMatchObject({ aud: push.origin, sub: SUBJECT });
      expect(message.headers).toMatchObject({ urgency: 'high', ttl: String(4 * 86_400) });
    }
    expect(push.rejected).toEqual([]);
    const page = await eventually(
      () => deliveries(sent.body.id),
      (response) => response.body.items?.[1]?.status === 'sent',
    );
    expect(page.body.items[1]).toMatchObject({ userId: 'pia', channel: 'push', status: 'sent', attempts: 1 });
  });

  it('takes TTL from the expiry and urgency from the priority', async () => {
    const browser = push.subscribe();
    await subscribe('quin', browser.json);
    const sent = await send(server.baseUrl, sender, { userIds: ['quin'], title: 'Soon gone', priority: 'low', ttlSeconds: 600 });
    const [message] = (await push.waitFor((all) => all.some((each) => each.payload.id === sent.body.id))).filter(
      (each) => each.payload.id === sent.body.id,
    );
    expect(message.headers.urgency).toBe('low');
    expect(Number(message.headers.ttl)).toBeGreaterThan(590);
    expect(Number(message.headers.ttl)).toBeLessThanOrEqual(600);
  });

  it('deletes a subscription the push service says is gone (410)', async () => {
    const stale = push.subscribe();
    await subscribe('rae', stale.json);
    push.answerWith(stale, 410);
    const first = await send(server.baseUrl, sender, { userIds: ['rae'], title: 'To a closed browser' });
    const page = await eventually(
      () => deliveries(first.body.id),
      (response) => response.body.items?.[1]?.status === 'skipped',
    );
    expect(page.body.items[1]).toMatchObject({ status: 'skipped', error: 'every push subscription has expired' });
    const second = await send(server.baseUrl, sender, { userIds: ['rae'], title: 'Nobody left' });
    const later = await eventually(
      () => deliveries(second.body.id),
      (response) => response.body.items?.[1]?.status === 'skipped',
    );
    expect(later.body.items[1]).toMatchObject({ status: 'skipped', error: 'no push subscription' });
  });

  it('unsubscribes by endpoint: 204, then 404', async () => {
    const browser = push.subscribe();
    await subscribe('sam', browser.json);
    const unsubscribe = () =>
      request(server.baseUrl, 'DELETE', '/push/subscriptions', { token: tokenFor('sam'), body: { endpoint: browser.json.endpoint } });
    expect((await unsubscribe()).status).toBe(204);
    expect((await unsubscribe()).status).toBe(404);
    const other = push.subscribe();
    await subscribe('tia', other.json);
    const notTheirs = await request(server.baseUrl, 'DELETE', '/push/subscriptions', {
      token: tokenFor('sam'),
      body: { endpoint: other.json.endpoint },
    });
    expect(notTheirs.status).toBe(404);
  });

  it.each([
    ['keys missing', (json: any) => ({ endpoint: json.endpoint }), /keys/],
    ['p256dh not base64url', (json: any) => ({ ...json, keys: { ...json.keys, p256dh: 'not base64!' } }), /keys\.p256dh/],
    ['p256dh of the wrong length', (json: any) => ({ ...json, keys: { ...json.keys, p256dh: json.keys.auth } }), /keys\.p256dh/],
    ['auth of the wrong length', (json: any) => ({ ...json, keys: { ...json.keys, auth: json.keys.p256dh } }), /keys\.auth/],
    ['auth missing', (json: any) => ({ ...json, keys: { p256dh: json.keys.p256dh } }), /keys\.auth/],
    ['endpoint not a URL', (json: any) => ({ ...json, endpoint: 'not a url' }), /endpoint/],
    ['endpoint not http(s)', (json: any) => ({ ...json, endpoint: 'ftp://push.example.test/x' }), /endpoint/],
    ['endpoint over 2 KB', (json: any) => ({ ...json, endpoint: `https://push.example.test/${'x'.repeat(2100)}` }), /endpoint/],
    ['an unknown field', (json: any) => ({ ...json, extra: 1 }), /extra/],
  ])('refuses a subscription with %s: 400 naming the field', async (_case, change, field) => {
    const response = await subscribe('val', change(push.subscribe().json));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(field);
  });

  it('takes only https: endpoints in production, and 404s every route where Web Push is not configured', async () => {
    const production = await startServer({ env: { ...pushEnv, NODE_ENV: 'production' } });
    try {
      const refused = await subscribe('wes', push.subscribe().json, production);
      expect(refused).toMatchObject({ status: 400, body: { message: ['endpoint must be an https: URL'] } });
      const secure = { ...push.subscribe().json, endpoint: 'https://push.example.test/send/abc' };
      expect((await subscribe('wes', secure, production)).status).toBe(201);
    } finally {
      await production.close();
    }
    const plain = await startServer();
    try {
      expect((await request(plain.baseUrl, 'GET', '/push/vapid-public-key', { token: tokenFor('x') })).status).toBe(404);
      expect((await subscribe('x', push.subscribe().json, plain)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

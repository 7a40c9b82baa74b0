import { request, send } from './support/http';
import { WebhookReceiver } from './support/peers/webhook-receiver';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Webhooks', () => {
  let receiver: WebhookReceiver;
  let server: TestServer;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    server = await startServer({
      env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: receiver.secret, CHANNEL_POLL_MS: '20', CHANNEL_RETRY_BASE_MS: '50' },
    });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('POSTs created, delivered and read, each signed the Standard Webhooks way', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('hooked-user'));
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['hooked-user'], type: 'invoice.paid', title: 'Paid <b>now</b>' });
    const frame = await client.next('notification');
    client.send('ack', { ids: [frame.data.id] });
    client.send('read', { ids: [frame.data.id] });
    await client.next('unread');
    await receiver.waitFor(() =>
      ['notification.created', 'notification.delivered', 'notification.read'].every((type) => receiver.ofType(type).length > 0),
    );
    await client.close();

    const [created] = receiver.ofType('notification.created');
    expect(created.verified).toBe(true);
    expect(created.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(created.body).toMatchObject({
      type: 'notification.created',
      timestamp: expect.any(String),
      data: {
        notification: { id: sent.body.id, type: 'invoice.paid', title: 'Paid <b>now</b>' },
        recipients: 1,
        online: 1,
        senderId: 'sender',
      },
    });
    expect(receiver.ofType('notification.delivered')[0].body.data).toMatchObject({
      userId: 'hooked-user',
      notificationIds: [sent.body.id],
      count: 1,
    });
    expect(receiver.ofType('notification.read')[0].body.data).toMatchObject({
      userId: 'hooked-user',
      notificationIds: [sent.body.id],
      count: 1,
    });
    expect(receiver.received.every((each) => each.verified)).toBe(true);
  });

  it('POSTs notification.actioned when a user takes an action', async () => {
    const actions = [{ id: 'approve', label: 'Approve' }];
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['acting-user'], type: 'expense.submitted', actions });
    const taken = await request(server.baseUrl, 'POST', `/notifications/${sent.body.id}/actions/approve`, {
      token: tokenFor('acting-user'),
    });
    expect(taken.status).toBe(200);
    const ours = () => receiver.ofType('notification.actioned').filter((each) => each.body.data.notification.id === sent.body.id);
    await receiver.waitFor(() => ours().length > 0);
    expect(ours()[0].verified).toBe(true);
    expect(ours()[0].body.data).toMatchObject({
      notification: { id: sent.body.id, type: 'expense.submitted', actions: [{ id: 'approve', label: 'Approve' }] },
      userId: 'acting-user',
      actionId: 'approve',
      actionedAt: taken.body.actionedAt,
      tenant: null,
    });
  });

  it('retries a refused POST with backoff under the same webhook-id, signed anew', async () => {
    receiver.failNext(500, 503);
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['retried-user'], title: 'Try again' });
    const tries = () => receiver.received.filter((each) => each.body.data?.notification?.id === sent.body.id);
    await receiver.waitFor(() => tries().some((each) => each.status === 204));
    expect(tries().map((each) => each.status)).toEqual([500, 503, 204]);
    expect(new Set(tries().map((each) => each.id)).size).toBe(1);
    expect(tries().every((each) => each.verified)).toBe(true);
  });

  it('keeps the live path going while the webhook refuses everything', async () => {
    receiver.failNext(...Array(20).fill(500));
    const client = await TestClient.open(server.wsUrl, tokenFor('live-user'));
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['live-user'], title: 'Still live' });
    expect(sent.status).toBe(201);
    expect((await client.next('notification')).data.id).toBe(sent.body.id);
    await client.close();
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

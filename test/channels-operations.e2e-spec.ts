import { eventually } from './support/eventually';
import { request, send } from './support/http';
import { SmtpPeer } from './support/peers/smtp-peer';
import { WebhookReceiver } from './support/peers/webhook-receiver';
import { scrape, scrapeUntil } from './support/prometheus';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

describe('Channels, for operators: metrics and health', () => {
  let smtp: SmtpPeer;
  let hooks: WebhookReceiver;
  let server: TestServer;
  const sender = senderToken();
  const health = () => request(server.baseUrl, 'GET', '/health/channels');

  beforeAll(async () => {
    smtp = await SmtpPeer.start();
    hooks = await WebhookReceiver.start();
    server = await startServer({
      env: {
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'notify@example.test',
        EMAIL_AFTER_SECONDS: '0',
        WEBHOOK_URL: hooks.url,
        WEBHOOK_SECRET: hooks.secret,
        CHANNEL_POLL_MS: '20',
        CHANNEL_RETRY_BASE_MS: '20',
        CHANNEL_MAX_ATTEMPTS: '2',
      },
    });
    await request(server.baseUrl, 'GET', '/notifications/unread-count', {
      token: tokenFor('ops-user', { claims: { email: 'ops@example.test' } }),
    });
  });
  afterAll(async () => {
    await server.close();
    await Promise.all([smtp.close(), hooks.close()]);
  });

  it('counts sends, retries and failures per channel, with the latency from due to sent', async () => {
    await send(server.baseUrl, sender, { userIds: ['ops-user'], title: 'Counted' });
    await smtp.waitFor(1);
    smtp.refuseNext(451, 'Busy', 2);
    await send(server.baseUrl, sender, { userIds: ['ops-user'], title: 'Given up' });
    const samples = await scrapeUntil(
      server.baseUrl,
      (all) => all.get('notifications_channel_sends_total{channel="email",result="failed"}') === 1,
      'a failed email',
    );
    expect(samples.get('notifications_channel_sends_total{channel="email",result="sent"}')).toBe(1);
    expect(samples.get('notifications_channel_sends_total{channel="email",result="retried"}')).toBe(1);
    expect(samples.get('notifications_channel_latency_seconds_count{channel="email"}')).toBe(1);
    await hooks.waitFor((received) => received.length >= 2);
    const webhooks = await scrapeUntil(
      server.baseUrl,
      (all) => (all.get('notifications_channel_sends_total{channel="webhook",result="sent"}') ?? 0) >= 2,
      'webhooks',
    );
    expect(webhooks.get('notifications_channel_sends_total{channel="webhook",result="sent"}')).toBeGreaterThanOrEqual(2);
  });

  it('reports a channel whose latest tries all failed on /health/channels (503), while /health stays 200', async () => {
    expect((await health()).body.channels).toContainEqual(expect.objectContaining({ channel: 'email' }));
    const gaveUp = 'notifications_channel_sends_total{channel="email",result="failed"}';
    const gaveUpBefore = (await scrape(server.baseUrl)).get(gaveUp) ?? 0;
    // Three sends, two tries each: six refusals. The health turns 503 after five; wait for all
    // three to give up, or the sixth refusal would fall on the next send.
    smtp.refuseNext(451, 'Mail server on fire', 6);
    for (let index = 0; index < 3; index++) await send(server.baseUrl, sender, { userIds: ['ops-user'], title: `Refused ${index}` });
    await scrapeUntil(server.baseUrl, (all) => all.get(gaveUp) === gaveUpBefore + 3, 'three given up');
    const failing = await eventually(health, (response) => response.status === 503);
    expect(failing.body).toEqual({
      status: 'failing',
      channels: [
        {
          channel: 'email',
          status: 'failing',
          failedOfLatest: 5,
          lastError: expect.stringContaining('Mail server on fire'),
          lastAttemptAt: expect.any(String),
        },
        expect.objectContaining({ channel: 'webhook', status: 'ok' }),
      ],
    });
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
    // One send that goes through: the channel is no longer failing.
    await send(server.baseUrl, sender, { userIds: ['ops-user'], title: 'Back' });
    const recovered = await eventually(health, (response) => response.status === 200);
    expect(recovered.body.channels[0]).toMatchObject({ channel: 'email', status: 'ok', failedOfLatest: 4 });
  });
});

import { request, send } from './support/http';
import { scrape, scrapeUntil } from './support/prometheus';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('GET /metrics', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('moves with real sessions, handshakes, sends, acks, reads and replays', async () => {
    const start = await scrape(server.baseUrl);
    expect(start.get('notifications_ws_sessions')).toBe(0);
    expect(start.get('notifications_sent_total')).toBe(0);

    const aliceTab1 = await TestClient.open(server.wsUrl, tokenFor('alice'));
    const aliceTab2 = await TestClient.open(server.wsUrl, tokenFor('alice'));
    const bob = await TestClient.open(server.wsUrl, tokenFor('bob'));
    await expect(TestClient.open(server.wsUrl, tokenFor('bob', { secret: 'not-the-server-secret-0123456789' }))).rejects.toThrow(/401/);

    let samples = await scrape(server.baseUrl);
    expect(samples.get('notifications_ws_sessions')).toBe(3);
    expect(samples.get('notifications_ws_users')).toBe(2);
    expect(samples.get('notifications_ws_handshakes_total{result="accepted",reason="ok"}')).toBe(3);
    expect(samples.get('notifications_ws_handshakes_total{result="refused",reason="unauthorized"}')).toBe(1);

    // alice is online (two tabs), carol is not: one live recipient, one queued.
    const sent = await send(server.baseUrl, senderToken(), { userIds: ['alice', 'carol'] });
    expect(sent.status).toBe(201);
    await aliceTab1.next('notification');
    await aliceTab2.next('notification');
    samples = await scrape(server.baseUrl);
    expect(samples.get('notifications_sent_total')).toBe(1);
    expect(samples.get('notifications_recipients_total')).toBe(2);
    expect(samples.get('notifications_queued_total')).toBe(1);
    expect(samples.get('notifications_delivered_live_total')).toBe(1);
    expect(samples.get('notifications_delivery_latency_seconds_count')).toBe(1);

    aliceTab1.send('ack', { ids: [sent.body.id] });
    aliceTab1.send('read', { ids: [sent.body.id] });
    await aliceTab2.next('unread'); // the read committed and its count went out
    await aliceTab1.roundTrip();
    samples = await scrapeUntil(server.baseUrl, (s) => s.get('notifications_acked_total') === 1, 'one ack');
    expect(samples.get('notifications_read_total')).toBe(1);

    // carol's backlog of one is flushed when she connects.
    const carol = await TestClient.open(server.wsUrl, tokenFor('carol'));
    await carol.next('notification');
    samples = await scrape(server.baseUrl);
    expect(samples.get('notifications_backlog_flush_size_count')).toBe(4);
    expect(samples.get('notifications_backlog_flush_size_sum')).toBe(1);

    await Promise.all([aliceTab1.close(), bob.close()]);
    samples = await scrapeUntil(server.baseUrl, (s) => s.get('notifications_ws_sessions') === 2, 'two sessions left');
    expect(samples.get('notifications_ws_users')).toBe(2);
    await Promise.all([aliceTab2.close(), carol.close()]);
  });

  it('serves Prometheus text with process metrics and no user ids in labels', async () => {
    const response = await request(server.baseUrl, 'GET', '/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0.0.4/);
    expect(response.body).toMatch(/^# HELP nodejs_eventloop_lag_seconds /m);
    expect(response.body).toMatch(/^# TYPE notifications_delivery_latency_seconds histogram$/m);
    expect(response.body).not.toMatch(/alice|bob|carol/);
  });

  it('requires the bearer METRICS_TOKEN when one is set, and is gone when disabled', async () => {
    const guarded = await startServer({ env: { METRICS_TOKEN: 'scrape-me-please-0123456789' } });
    const disabled = await startServer({ env: { METRICS_ENABLED: 'false' } });
    try {
      expect((await request(guarded.baseUrl, 'GET', '/metrics')).status).toBe(401);
      expect((await request(guarded.baseUrl, 'GET', '/metrics', { token: 'wrong-token-0123456789' })).status).toBe(401);
      expect((await scrape(guarded.baseUrl, 'scrape-me-please-0123456789')).get('notifications_ws_sessions')).toBe(0);
      expect((await request(disabled.baseUrl, 'GET', '/metrics')).status).toBe(404);
    } finally {
      await Promise.all([guarded.close(), disabled.close()]);
    }
  });
});

import { NotificationsMetrics } from '../src/metrics/notifications-metrics';
import { PrometheusMetrics } from '../src/metrics/prometheus-metrics';
import { request, send } from './support/http';
import { parsePrometheus, Samples, scrape, scrapeUntil } from './support/prometheus';
import { SseTestClient } from './support/sse-client';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const WS_SESSIONS = 'notifications_sessions{transport="websocket"}';
const SSE_SESSIONS = 'notifications_sessions{transport="sse"}';
const SEND_COUNTERS = [
  'notifications_sent_total',
  'notifications_recipients_total',
  'notifications_queued_total',
  'notifications_delivered_live_total',
];

/** How far each send counter moved between two scrapes, by name without the prefix. */
function moved(before: Samples, after: Samples): Record<string, number> {
  return Object.fromEntries(
    SEND_COUNTERS.map((name) => [name.replace(/^notifications_|_total$/g, ''), (after.get(name) ?? 0) - (before.get(name) ?? 0)]),
  );
}

describe('GET /metrics', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('moves with real sessions, handshakes, sends, acks, reads and replays', async () => {
    const start = await scrape(server.baseUrl);
    expect(start.get(WS_SESSIONS)).toBe(0);
    expect(start.get(SSE_SESSIONS)).toBe(0);
    expect(start.get('notifications_sent_total')).toBe(0);

    const aliceTab1 = await TestClient.open(server.wsUrl, tokenFor('alice'));
    const aliceTab2 = await TestClient.open(server.wsUrl, tokenFor('alice'));
    const bob = await TestClient.open(server.wsUrl, tokenFor('bob'));
    await expect(TestClient.open(server.wsUrl, tokenFor('bob', { secret: 'not-the-server-secret-0123456789' }))).rejects.toThrow(/401/);

    let samples = await scrape(server.baseUrl);
    expect(samples.get(WS_SESSIONS)).toBe(3);
    expect(samples.get('notifications_users')).toBe(2);
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
    await aliceTab2.next('state'); // the read committed (the delivery's unread frame came earlier)
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
    samples = await scrapeUntil(server.baseUrl, (s) => s.get(WS_SESSIONS) === 2, 'two sessions left');
    expect(samples.get('notifications_users')).toBe(2);
    await Promise.all([aliceTab2.close(), carol.close()]);
    await scrapeUntil(server.baseUrl, (s) => s.get(WS_SESSIONS) === 0, 'no session left');
  });

  it('counts topic, broadcast and scheduled sends, and SSE streams as sessions of their own transport', async () => {
    const sender = senderToken();
    const dave = await SseTestClient.connect(server.baseUrl, tokenFor('dave'));
    const erin = await TestClient.open(server.wsUrl, tokenFor('erin'));
    let samples = await scrape(server.baseUrl);
    expect([samples.get(SSE_SESSIONS), samples.get(WS_SESSIONS), samples.get('notifications_users')]).toEqual([1, 1, 2]);

    // A topic of two subscribers, dave (streaming) and frank (offline): one live, one queued.
    for (const user of ['dave', 'frank']) {
      expect((await request(server.baseUrl, 'PUT', `/topics/metrics/subscribers/${user}`, { token: sender })).status).toBe(204);
    }
    let before = samples;
    const topicSend = await send(server.baseUrl, sender, { topic: 'metrics' });
    expect(topicSend.body).toMatchObject({ recipients: 2, online: 1 });
    await dave.next('notification');
    samples = await scrapeUntil(server.baseUrl, (s) => moved(before, s).delivered_live === 1, 'the topic send delivered');
    expect(moved(before, samples)).toEqual({ sent: 1, recipients: 2, queued: 1, delivered_live: 1 });

    // A broadcast: an inbox entry for each connected user (dave, erin), then for frank when he connects.
    before = samples;
    const broadcast = await send(server.baseUrl, sender, { broadcast: true });
    expect(broadcast.status).toBe(201);
    await dave.waitFor('notification', 2);
    await erin.next('notification');
    samples = await scrapeUntil(server.baseUrl, (s) => moved(before, s).recipients === 2, 'the broadcast in two inboxes');
    expect(moved(before, samples)).toEqual({ sent: 1, recipients: 2, queued: 0, delivered_live: 2 });
    before = samples;
    const frank = await TestClient.open(server.wsUrl, tokenFor('frank'));
    await frank.waitFor('notification', 2); // the topic's, waiting in his inbox, and the broadcast
    samples = await scrape(server.baseUrl);
    expect(moved(before, samples)).toEqual({ sent: 0, recipients: 1, queued: 0, delivered_live: 0 });

    // Scheduled: stored (sent) at once, in erin's inbox only when released.
    before = samples;
    const scheduled = await send(server.baseUrl, sender, { userIds: ['erin'], deliverAt: new Date(Date.now() + 300).toISOString() });
    expect(scheduled.status).toBe(201);
    expect(moved(before, await scrape(server.baseUrl))).toEqual({ sent: 1, recipients: 0, queued: 0, delivered_live: 0 });
    await erin.waitFor('notification', 2);
    samples = await scrapeUntil(server.baseUrl, (s) => moved(before, s).delivered_live === 1, 'the release delivered');
    expect(moved(before, samples)).toEqual({ sent: 1, recipients: 1, queued: 0, delivered_live: 1 });

    dave.close();
    samples = await scrapeUntil(server.baseUrl, (s) => s.get(SSE_SESSIONS) === 0, 'the stream closed');
    expect(samples.get(WS_SESSIONS)).toBe(2);
    await Promise.all([erin.close(), frank.close()]);
  });

  it('counts upgrades refused with 503 while the server shuts down', async () => {
    const stopping = await startServer();
    // A client that never reads its 1001 close keeps the shutdown in its grace period.
    const stalled = await TestClient.open(stopping.wsUrl, tokenFor('stalled'));
    stalled.socket.pause();
    const watcher = await TestClient.open(stopping.wsUrl, tokenFor('watcher'));
    const closing = stopping.close();
    try {
      expect(await watcher.waitForClose()).toBe(1001);
      await expect(TestClient.open(stopping.wsUrl, tokenFor('late'))).rejects.toMatchObject({ status: 503 });
    } finally {
      stalled.socket.terminate();
      await closing;
    }
    const samples = parsePrometheus(await (stopping.app.get(NotificationsMetrics) as PrometheusMetrics).exposition());
    expect(samples.get('notifications_ws_handshakes_total{result="refused",reason="shutting_down"}')).toBe(1);
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
      expect((await scrape(guarded.baseUrl, 'scrape-me-please-0123456789')).get(WS_SESSIONS)).toBe(0);
      expect((await request(disabled.baseUrl, 'GET', '/metrics')).status).toBe(404);
    } finally {
      await Promise.all([guarded.close(), disabled.close()]);
    }
  });
});

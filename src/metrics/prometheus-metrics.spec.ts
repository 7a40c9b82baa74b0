import { parsePrometheus } from '../../test/support/prometheus';
import { Principal } from '../auth/principal';
import { Session } from '../sessions/session';
import { SessionRegistry } from '../sessions/session-registry';
import { SessionSocket } from '../sessions/session-socket';
import { PrometheusMetrics } from './prometheus-metrics';

describe(PrometheusMetrics.name, () => {
  it('keeps refusal reasons to a fixed set, whatever the status', async () => {
    const metrics = new PrometheusMetrics(new SessionRegistry());
    metrics.handshakeRefused(401);
    metrics.handshakeRefused(401);
    metrics.handshakeRefused(418);
    metrics.handshakeRefused(503);
    metrics.handshakeAccepted();
    const samples = parsePrometheus(await metrics.exposition());
    expect(samples.get('notifications_ws_handshakes_total{result="refused",reason="unauthorized"}')).toBe(2);
    expect(samples.get('notifications_ws_handshakes_total{result="refused",reason="other"}')).toBe(1);
    expect(samples.get('notifications_ws_handshakes_total{result="refused",reason="shutting_down"}')).toBe(1);
    expect(samples.get('notifications_ws_handshakes_total{result="accepted",reason="ok"}')).toBe(1);
  });

  it('counts recipients queued as those not online, and observes latency only when someone was reached', async () => {
    const metrics = new PrometheusMetrics(new SessionRegistry());
    metrics.notificationSent(5, 2);
    metrics.notificationDelivered(0, new Date().toISOString());
    metrics.notificationDelivered(2, new Date(Date.now() - 50).toISOString());
    const samples = parsePrometheus(await metrics.exposition());
    expect(samples.get('notifications_queued_total')).toBe(3);
    expect(samples.get('notifications_delivered_live_total')).toBe(2);
    expect(samples.get('notifications_delivery_latency_seconds_count')).toBe(1);
    expect(samples.get('notifications_delivery_latency_seconds_sum')).toBeGreaterThanOrEqual(0.05);
  });

  it('counts inbox entries created after the send (releases, broadcasts) without counting another send', async () => {
    const metrics = new PrometheusMetrics(new SessionRegistry());
    metrics.notificationSent(0, 0);
    metrics.inboxEntriesCreated(4, 1);
    metrics.inboxEntriesCreated(0, 0);
    const samples = parsePrometheus(await metrics.exposition());
    expect(samples.get('notifications_sent_total')).toBe(1);
    expect(samples.get('notifications_recipients_total')).toBe(4);
    expect(samples.get('notifications_queued_total')).toBe(3);
  });

  it('reads open sessions by transport, and users across all of them, at scrape time', async () => {
    const registry = new SessionRegistry();
    const metrics = new PrometheusMetrics(registry);
    const principal = (userId: string): Principal => ({
      userId,
      scopes: new Set(),
      expiresAt: Date.now() + 60_000,
      issuedAt: undefined,
      claims: {},
    });
    const socket = () => ({ readyState: 1, bufferedAmount: 0, send() {}, close() {}, terminate() {}, once() {} }) as SessionSocket;
    const tab = new Session(socket(), principal('ann'), undefined);
    registry.add(tab);
    registry.add(new Session(socket(), principal('ann'), undefined, 'sse'));
    registry.add(new Session(socket(), principal('ben'), undefined, 'sse'));
    registry.add(new Session(socket(), principal('cy'), '0', 'poll'));
    let samples = parsePrometheus(await metrics.exposition());
    expect(samples.get('notifications_sessions{transport="websocket"}')).toBe(1);
    expect(samples.get('notifications_sessions{transport="sse"}')).toBe(2);
    expect(samples.get('notifications_sessions{transport="poll"}')).toBe(1);
    expect(samples.get('notifications_users')).toBe(3);
    registry.remove(tab);
    samples = parsePrometheus(await metrics.exposition());
    expect(samples.get('notifications_sessions{transport="websocket"}')).toBe(0);
    expect(samples.get('notifications_users')).toBe(3);
  });

  it('lives in its own registry: two instances do not collide', async () => {
    const first = new PrometheusMetrics(new SessionRegistry());
    const second = new PrometheusMetrics(new SessionRegistry());
    first.notificationSent(1, 1);
    expect(parsePrometheus(await second.exposition()).get('notifications_sent_total')).toBe(0);
  });
});

import { parsePrometheus } from '../../test/support/prometheus';
import { SessionRegistry } from '../gateway/session-registry';
import { NotificationsMetrics } from './notifications-metrics';

describe(NotificationsMetrics.name, () => {
  it('keeps refusal reasons to a fixed set, whatever the status', async () => {
    const metrics = new NotificationsMetrics(new SessionRegistry());
    metrics.handshakeRefused(401);
    metrics.handshakeRefused(401);
    metrics.handshakeRefused(418);
    metrics.handshakeAccepted();
    const samples = parsePrometheus(await metrics.exposition());
    expect(samples.get('notifications_ws_handshakes_total{result="refused",reason="unauthorized"}')).toBe(2);
    expect(samples.get('notifications_ws_handshakes_total{result="refused",reason="other"}')).toBe(1);
    expect(samples.get('notifications_ws_handshakes_total{result="accepted",reason="ok"}')).toBe(1);
  });

  it('counts recipients queued as those not online, and observes latency only when someone was reached', async () => {
    const metrics = new NotificationsMetrics(new SessionRegistry());
    metrics.notificationSent(5, 2);
    metrics.notificationDelivered(0, new Date().toISOString());
    metrics.notificationDelivered(2, new Date(Date.now() - 50).toISOString());
    const samples = parsePrometheus(await metrics.exposition());
    expect(samples.get('notifications_queued_total')).toBe(3);
    expect(samples.get('notifications_delivered_live_total')).toBe(2);
    expect(samples.get('notifications_delivery_latency_seconds_count')).toBe(1);
    expect(samples.get('notifications_delivery_latency_seconds_sum')).toBeGreaterThanOrEqual(0.05);
  });

  it('lives in its own registry: two instances do not collide', async () => {
    const first = new NotificationsMetrics(new SessionRegistry());
    const second = new NotificationsMetrics(new SessionRegistry());
    first.notificationSent(1, 1);
    expect(parsePrometheus(await second.exposition()).get('notifications_sent_total')).toBe(0);
  });
});

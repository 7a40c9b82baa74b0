import type { Counter, Histogram, Registry } from 'prom-client';
import { requireOptional } from '../config/optional-dependency';
import { NotificationsMetrics, SessionCounts, SessionTransportName } from './notifications-metrics';

/** Why an upgrade was refused, by HTTP status: a fixed set, so the label stays bounded. */
const REFUSAL_REASONS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  429: 'too_many_sessions',
  500: 'internal_error',
  503: 'shutting_down',
};

/** The `transport` label's values: bounded, like every label here. */
const TRANSPORTS: readonly SessionTransportName[] = ['websocket', 'sse', 'poll'];

/**
 * The module's Prometheus metrics (`metrics: true`; needs the optional package prom-client),
 * in a registry of its own (so a host's default registry is untouched; merge them with
 * `Registry.merge`). Labels never carry user ids. Counting is a few additions on the paths
 * where things happen; the gauges are read at scrape time.
 */
export class PrometheusMetrics extends NotificationsMetrics {
  private readonly client = requireOptional<typeof import('prom-client')>('prom-client', 'NotificationsModule option metrics: true');
  readonly registry: Registry = new this.client.Registry();

  private readonly handshakes: Counter<'result' | 'reason'> = new this.client.Counter({
    name: 'notifications_ws_handshakes_total',
    help: 'WebSocket upgrades, accepted or refused (by reason)',
    labelNames: ['result', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly sent: Counter = new this.client.Counter({
    name: 'notifications_sent_total',
    help: 'Notifications stored by send, to any audience, scheduled or not (idempotent repeats not counted)',
    registers: [this.registry],
  });
  private readonly recipients: Counter = new this.client.Counter({
    name: 'notifications_recipients_total',
    help: 'Inbox entries created (one per recipient): at send, at a scheduled release, as a broadcast reaches each user',
    registers: [this.registry],
  });
  private readonly queued: Counter = new this.client.Counter({
    name: 'notifications_queued_total',
    help: 'Inbox entries created for a user with no open session anywhere: the notification waits in their inbox',
    registers: [this.registry],
  });
  private readonly deliveredLive: Counter = new this.client.Counter({
    name: 'notifications_delivered_live_total',
    help: 'Recipients reached live by this node (one per recipient with a session here, however many sessions)',
    registers: [this.registry],
  });
  private readonly acknowledged: Counter = new this.client.Counter({
    name: 'notifications_acked_total',
    help: 'Inbox entries newly acknowledged by clients (ack frames)',
    registers: [this.registry],
  });
  private readonly read: Counter = new this.client.Counter({
    name: 'notifications_read_total',
    help: 'Inbox entries newly marked read (read frames and REST)',
    registers: [this.registry],
  });
  private readonly deliveryLatency: Histogram = new this.client.Histogram({
    name: 'notifications_delivery_latency_seconds',
    help: 'From a notification being created to its frames being written on this node',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly backlogFlush: Histogram = new this.client.Histogram({
    name: 'notifications_backlog_flush_size',
    help: 'Notifications replayed to a session when it connects',
    buckets: [0, 1, 5, 10, 50, 100, 500, 1000, 5000],
    registers: [this.registry],
  });
  private readonly busPublishErrors: Counter = new this.client.Counter({
    name: 'notifications_bus_publish_errors_total',
    help: 'Deliveries the delivery bus failed to publish',
    registers: [this.registry],
  });

  private readonly channelSends: Counter<'channel' | 'result'> = new this.client.Counter({
    name: 'notifications_channel_sends_total',
    help: 'Sends by channels beyond the socket (push, email, webhook, a host channel), by result: sent, retried (a try failed, another follows) or failed (gave up)',
    labelNames: ['channel', 'result'] as const,
    registers: [this.registry],
  });
  private readonly channelLatency: Histogram<'channel'> = new this.client.Histogram({
    name: 'notifications_channel_latency_seconds',
    help: 'From when a channel send was due to when it was sent (retries and quiet hours included)',
    labelNames: ['channel'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  constructor(sessions: SessionCounts) {
    super();
    new this.client.Gauge({
      name: 'notifications_sessions',
      help: 'Open sessions on this node, by transport (websocket, sse, poll: long polls waiting)',
      labelNames: ['transport'] as const,
      registers: [this.registry],
      collect() {
        for (const transport of TRANSPORTS) this.set({ transport }, sessions.sizeOf(transport));
      },
    });
    new this.client.Gauge({
      name: 'notifications_users',
      help: 'Users with at least one open session (any transport) on this node',
      registers: [this.registry],
      collect() {
        this.set(sessions.userCount);
      },
    });
  }

  /** Adds Node's process metrics (event-loop lag, heap, CPU, handles) to this registry. */
  collectProcessMetrics(): void {
    this.client.collectDefaultMetrics({ register: this.registry });
  }

  /** The registry's Prometheus text exposition. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  override handshakeAccepted(): void {
    this.handshakes.inc({ result: 'accepted', reason: 'ok' });
  }

  override handshakeRefused(status: number): void {
    this.handshakes.inc({ result: 'refused', reason: REFUSAL_REASONS[status] ?? 'other' });
  }

  /** A notification stored, with the inbox entries its send created (none yet when held or a broadcast). */
  override notificationSent(recipients: number, online: number): void {
    this.sent.inc();
    this.inboxEntriesCreated(recipients, online);
  }

  /** Inbox entries created after the send: a scheduled release, a broadcast reaching users. */
  override inboxEntriesCreated(entries: number, online: number): void {
    if (entries === 0) return;
    this.recipients.inc(entries);
    this.queued.inc(entries - online);
  }

  /** A notification written live to `recipients` users on this node, created at `createdAt`. */
  override notificationDelivered(recipients: number, createdAt: string): void {
    if (recipients === 0) return;
    this.deliveredLive.inc(recipients);
    this.deliveryLatency.observe(Math.max(0, Date.now() - Date.parse(createdAt)) / 1000);
  }

  override notificationsAcknowledged(count: number): void {
    if (count > 0) this.acknowledged.inc(count);
  }

  override notificationsRead(count: number): void {
    if (count > 0) this.read.inc(count);
  }

  override backlogFlushed(size: number): void {
    this.backlogFlush.observe(size);
  }

  /** For DeliveryBus implementations that publish asynchronously and handle their own errors. */
  override busPublishFailed(): void {
    this.busPublishErrors.inc();
  }

  // The channel label takes configured channel names only (a handful), never user input.
  override channelSent(channel: string, latencySeconds: number): void {
    this.channelSends.inc({ channel, result: 'sent' });
    this.channelLatency.observe({ channel }, Math.max(0, latencySeconds));
  }

  override channelRetried(channel: string): void {
    this.channelSends.inc({ channel, result: 'retried' });
  }

  override channelFailed(channel: string): void {
    this.channelSends.inc({ channel, result: 'failed' });
  }
}

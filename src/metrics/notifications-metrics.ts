/** A transport's name, as metrics label sessions. */
export type SessionTransportName = 'websocket' | 'sse' | 'poll';

/** What metrics read of this node's sessions at scrape time (SessionRegistry). */
export interface SessionCounts {
  sizeOf(transport: SessionTransportName): number;
  readonly userCount: number;
}

/**
 * What the module counts, where things happen. This one records nothing: it is what runs
 * without `metrics: true`, so a host without prom-client pays one empty call per event.
 * PrometheusMetrics records them.
 */
export class NotificationsMetrics {
  handshakeAccepted(): void {}

  handshakeRefused(_status: number): void {}

  /** A notification stored, with the inbox entries its send created (none yet when held or a broadcast). */
  notificationSent(_recipients: number, _online: number): void {}

  /** Inbox entries created after the send: a scheduled release, a broadcast reaching users. */
  inboxEntriesCreated(_entries: number, _online: number): void {}

  /** A notification written live to `recipients` users on this node, created at `createdAt`. */
  notificationDelivered(_recipients: number, _createdAt: string): void {}

  notificationsAcknowledged(_count: number): void {}

  notificationsRead(_count: number): void {}

  backlogFlushed(_size: number): void {}

  /** For DeliveryBus implementations that publish asynchronously and handle their own errors. */
  busPublishFailed(): void {}

  /** A channel beyond the socket sent a notification, `latencySeconds` after it was first due. */
  channelSent(_channel: string, _latencySeconds: number): void {}

  /** A channel's try failed and will be tried again. */
  channelRetried(_channel: string): void {}

  /** A channel gave up on a notification for a user, after its retries. */
  channelFailed(_channel: string): void {}
}

import {
  DEFAULT_ACK_BATCH_MS,
  DEFAULT_EXPIRY_CLEANUP_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_SESSIONS_PER_USER,
  DEFAULT_REVOCATION_CACHE_MS,
  DEFAULT_SCHEDULE_POLL_MS,
  DEFAULT_SEND_RATE_LIMIT,
  DEFAULT_SEND_RATE_WINDOW_MS,
  DEFAULT_WS_PATH,
  NotificationsBehaviourOptions,
  NotificationsTimingOptions,
  NotificationsWebSocketOptions,
} from './notifications.options';

/** The WebSocket options with every default filled in. */
export type WebSocketLimits = Required<Omit<NotificationsWebSocketOptions, 'allowedOrigins'>> &
  Pick<NotificationsWebSocketOptions, 'allowedOrigins'>;

/**
 * The module's options with every default filled in, resolved once when the module starts:
 * everything that needs an option injects this, and no default is written twice.
 */
export class ResolvedOptions {
  readonly websocket: WebSocketLimits;
  readonly sendRateLimit: { limit: number; windowMs: number };
  readonly revocationCacheMs: number;
  readonly timing: Required<NotificationsTimingOptions>;

  constructor(options: NotificationsBehaviourOptions = {}) {
    const websocket = options.websocket ?? {};
    this.websocket = {
      path: normalizePath(websocket.path ?? DEFAULT_WS_PATH),
      maxPayloadBytes: websocket.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      heartbeatMs: websocket.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      maxSessionsPerUser: websocket.maxSessionsPerUser ?? DEFAULT_MAX_SESSIONS_PER_USER,
      maxFramesPerSecond: websocket.maxFramesPerSecond ?? DEFAULT_MAX_FRAMES_PER_SECOND,
      maxBufferedBytes: websocket.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      allowedOrigins: websocket.allowedOrigins,
    };
    this.sendRateLimit = {
      limit: options.sendRateLimit?.limit ?? DEFAULT_SEND_RATE_LIMIT,
      windowMs: options.sendRateLimit?.windowMs ?? DEFAULT_SEND_RATE_WINDOW_MS,
    };
    this.revocationCacheMs = options.revocationCacheMs ?? DEFAULT_REVOCATION_CACHE_MS;
    this.timing = {
      schedulePollMs: options.timing?.schedulePollMs ?? DEFAULT_SCHEDULE_POLL_MS,
      expiryCleanupMs: options.timing?.expiryCleanupMs ?? DEFAULT_EXPIRY_CLEANUP_MS,
      ackBatchMs: options.timing?.ackBatchMs ?? DEFAULT_ACK_BATCH_MS,
    };
  }
}

/** `/ws`, `ws`, `/ws/` → `/ws`: the path as request URLs carry it. */
function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_SESSIONS_PER_USER,
  DEFAULT_WS_PATH,
  NotificationsWebSocketOptions,
} from '../notifications.options';

/** The WebSocket options with every default filled in. */
export type WebSocketLimits = Required<Omit<NotificationsWebSocketOptions, 'allowedOrigins'>> &
  Pick<NotificationsWebSocketOptions, 'allowedOrigins'>;

export function resolveWebSocketLimits(options: NotificationsWebSocketOptions = {}): WebSocketLimits {
  return {
    path: options.path ?? DEFAULT_WS_PATH,
    maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    maxSessionsPerUser: options.maxSessionsPerUser ?? DEFAULT_MAX_SESSIONS_PER_USER,
    maxFramesPerSecond: options.maxFramesPerSecond ?? DEFAULT_MAX_FRAMES_PER_SECOND,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    allowedOrigins: options.allowedOrigins,
  };
}

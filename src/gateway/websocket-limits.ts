import { NOTIFICATION_ID_JSON_BYTES } from '../notifications/notification-id';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_IDS_PER_USER_PER_SECOND,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_PENDING_FRAMES,
  DEFAULT_MAX_SESSIONS_PER_USER,
  DEFAULT_WS_PATH,
  NotificationsWebSocketOptions,
} from '../notifications.options';

/** The WebSocket options with every default filled in, and what follows from them. */
export type WebSocketLimits = Required<Omit<NotificationsWebSocketOptions, 'allowedOrigins'>> &
  Pick<NotificationsWebSocketOptions, 'allowedOrigins'> & {
    /** Ids one `ack` or `read` frame may carry: as many as fit in `maxPayloadBytes`. */
    maxIdsPerFrame: number;
  };

/** The most ids a frame may carry, however large frames may be. */
const IDS_PER_FRAME_CEILING = 1000;
/** The longer of the two id frames with no id in it. */
const EMPTY_ID_FRAME_BYTES = '{"event":"read","data":{"ids":[]}}'.length;

/**
 * How many notification ids fit in one frame of `maxPayloadBytes`, written as JSON without
 * spaces (at most 1,000): 419 in the default 16 KiB. A larger limit of ids than this could
 * never be reached, since ws closes a larger frame with 1009 before it is read.
 */
export function idsPerFrame(maxPayloadBytes: number): number {
  // Every id takes its bytes and a comma, but the last takes no comma.
  const fit = Math.floor((maxPayloadBytes - EMPTY_ID_FRAME_BYTES + 1) / NOTIFICATION_ID_JSON_BYTES);
  return Math.max(1, Math.min(IDS_PER_FRAME_CEILING, fit));
}

export function resolveWebSocketLimits(options: NotificationsWebSocketOptions = {}): WebSocketLimits {
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  return {
    path: options.path ?? DEFAULT_WS_PATH,
    maxPayloadBytes,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    maxSessionsPerUser: options.maxSessionsPerUser ?? DEFAULT_MAX_SESSIONS_PER_USER,
    maxFramesPerSecond: options.maxFramesPerSecond ?? DEFAULT_MAX_FRAMES_PER_SECOND,
    maxIdsPerUserPerSecond: options.maxIdsPerUserPerSecond ?? DEFAULT_MAX_IDS_PER_USER_PER_SECOND,
    maxPendingFrames: options.maxPendingFrames ?? DEFAULT_MAX_PENDING_FRAMES,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    allowedOrigins: options.allowedOrigins,
    maxIdsPerFrame: idsPerFrame(maxPayloadBytes),
  };
}

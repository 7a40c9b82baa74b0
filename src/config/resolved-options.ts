import {
  DEFAULT_ACK_BATCH_MS,
  DEFAULT_EXPIRY_CLEANUP_MS,
  DEFAULT_CURSOR_MARK_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_IDS_PER_USER_PER_SECOND,
  DEFAULT_MAX_PENDING_FRAMES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_SESSIONS_PER_USER,
  DEFAULT_RETENTION_SWEEP_MS,
  DEFAULT_REVOCATION_CACHE_MS,
  DEFAULT_SCHEDULE_POLL_MS,
  DEFAULT_SEND_RATE_LIMIT,
  DEFAULT_SEND_RATE_WINDOW_MS,
  DEFAULT_WS_PATH,
  NotificationsBehaviourOptions,
  NotificationsJwtOptions,
  NotificationsTableOptions,
  NotificationsTimingOptions,
  NotificationsWebSocketOptions,
} from './notifications.options';
import { TenantScope } from '../model/tenant-scope';
import { NOTIFICATION_ID_JSON_BYTES } from '../model/notification-id';
import { ChannelDefaults } from '../model/preferences';

/** The WebSocket options with every default filled in, and what follows from them. */
export type WebSocketLimits = Required<Omit<NotificationsWebSocketOptions, 'allowedOrigins'>> &
  Pick<NotificationsWebSocketOptions, 'allowedOrigins'> & {
    /** Ids one `ack` or `read` frame may carry: as many as fit in `maxPayloadBytes`. */
    maxIdsPerFrame: number;
  };

/** What the module keeps and for how long, resolved (see NotificationsRetentionOptions). */
export interface RetentionLimits {
  /** Read or archived entries older than this are deleted; null keeps them forever. */
  inboxMs: number | null;
  /**
   * A revocation older than this is deleted: no token from before it can still be valid. Null
   * when the module does not know how old a valid token can be (no `jwt.maxTokenAgeSeconds`, or
   * a host's own token verifier): revocations are kept.
   */
  revocationMs: number | null;
}

/**
 * Added to the longest token age before a revocation goes: the clock tolerance on `iat` (at
 * most 60 s), a verified token remembered by CachedTokenVerifier (at most 60 s), and clocks of
 * several nodes that differ a little.
 */
export const REVOCATION_GRACE_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The options ResolvedOptions reads: the behaviour options, and of the module's the token age. */
export type ResolvableOptions = NotificationsBehaviourOptions & { jwt?: NotificationsJwtOptions; tokenVerifier?: object };

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

/**
 * The module's options with every default filled in, resolved once when the module starts:
 * everything that needs an option injects this, and no default is written twice.
 */
export class ResolvedOptions {
  readonly websocket: WebSocketLimits;
  readonly sendRateLimit: { limit: number; windowMs: number };
  readonly revocationCacheMs: number;
  readonly timing: Required<NotificationsTimingOptions>;
  readonly tables: NotificationsTableOptions;
  readonly retention: RetentionLimits;
  /** What a user's preferences fall back to: every channel on unless the options switch it off. */
  readonly preferences: { defaults: ChannelDefaults };
  /** Whether identities are scoped by tenant, and how host code names one. */
  readonly tenants: TenantScope;

  constructor(options: ResolvableOptions = {}) {
    const websocket = options.websocket ?? {};
    const maxPayloadBytes = websocket.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.websocket = {
      path: normalizePath(websocket.path ?? DEFAULT_WS_PATH),
      maxPayloadBytes,
      maxIdsPerFrame: idsPerFrame(maxPayloadBytes),
      maxIdsPerUserPerSecond: websocket.maxIdsPerUserPerSecond ?? DEFAULT_MAX_IDS_PER_USER_PER_SECOND,
      maxPendingFrames: websocket.maxPendingFrames ?? DEFAULT_MAX_PENDING_FRAMES,
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
    this.tables = options.tables ?? {};
    const defaults = options.preferences?.defaults ?? {};
    this.preferences = {
      defaults: { inApp: defaults.inApp ?? true, push: defaults.push ?? true, email: defaults.email ?? true },
    };
    this.timing = {
      schedulePollMs: options.timing?.schedulePollMs ?? DEFAULT_SCHEDULE_POLL_MS,
      expiryCleanupMs: options.timing?.expiryCleanupMs ?? DEFAULT_EXPIRY_CLEANUP_MS,
      ackBatchMs: options.timing?.ackBatchMs ?? DEFAULT_ACK_BATCH_MS,
      retentionSweepMs: options.timing?.retentionSweepMs ?? DEFAULT_RETENTION_SWEEP_MS,
      cursorMarkMs: options.timing?.cursorMarkMs ?? DEFAULT_CURSOR_MARK_MS,
    };
    this.retention = resolveRetention(options);
    this.tenants = new TenantScope(options.tenancy?.claim);
  }
}

function resolveRetention(options: ResolvableOptions): RetentionLimits {
  const days = options.retention?.days;
  if (days !== undefined && !(Number.isFinite(days) && days > 0)) {
    throw new Error(`retention.days must be a positive number of days, got ${days}`);
  }
  const maxTokenAge = options.tokenVerifier ? undefined : options.jwt?.maxTokenAgeSeconds;
  if (maxTokenAge !== undefined && !(Number.isSafeInteger(maxTokenAge) && maxTokenAge > 0)) {
    throw new Error(`jwt.maxTokenAgeSeconds must be a positive whole number of seconds, got ${maxTokenAge}`);
  }
  return {
    inboxMs: days === undefined ? null : days * DAY_MS,
    revocationMs: maxTokenAge === undefined ? null : maxTokenAge * 1000 + REVOCATION_GRACE_MS,
  };
}

/** `/ws`, `ws`, `/ws/` → `/ws`: the path as request URLs carry it. */
function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** How the module verifies JWTs. One of `secret` (HS256), `publicKey` (PEM: RS256/ES256 family) or `jwksUri` is required. */
export interface NotificationsJwtOptions {
  secret?: string;
  publicKey?: string;
  /** When set, tokens must carry this `iss`. */
  issuer?: string;
  /** When set, tokens must carry this `aud`. */
  audience?: string;
  /** Clock skew tolerated on `exp`/`nbf`, in seconds (default 30, at most 60). */
  clockToleranceSeconds?: number;
  /**
   * An identity provider's JWKS endpoint, instead of `secret`/`publicKey`: tokens are verified
   * with the key their `kid` names, fetched and cached, refetched when the provider rotates.
   */
  jwksUri?: string;
  /**
   * Tokens issued longer ago than this (by `iat`) are refused, and so are tokens without `iat`
   * (default unset: any age until `exp`). With it the module knows when no token from before a
   * revocation can still be valid, and deletes the revocation then (retention).
   */
  maxTokenAgeSeconds?: number;
}

export interface NotificationsWebSocketOptions {
  /** Where clients connect (default `/ws`). */
  path?: string;
  /** Largest client frame in bytes; larger closes 1009 (default 16384). */
  maxPayloadBytes?: number;
  /** Ping interval in ms; a peer silent for two intervals is terminated (default 30000, 0 turns it off). */
  heartbeatMs?: number;
  /** Open sessions per user across all nodes, WebSocket and SSE together; one more is refused with 429 (default 20). */
  maxSessionsPerUser?: number;
  /** Client frames per session per second; more closes 1008 (default 50). */
  maxFramesPerSecond?: number;
  /**
   * Ids in `ack` and `read` frames per user per second, all of the user's sessions on this node
   * together; the frame that goes over closes its session with 1008 (default 10000).
   */
  maxIdsPerUserPerSecond?: number;
  /** Client frames a session may have waiting to be handled; one more closes it with 1008 (default 100). */
  maxPendingFrames?: number;
  /** Browser origins (`https://app.example.com`) allowed to connect, matched exactly; unset allows any. */
  allowedOrigins?: readonly string[];
  /** Bytes queued for a session that does not read; past this it is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
}

/** Rate limit of `POST /notifications`, per sender (the token's `sub`). */
export interface NotificationsSendRateLimitOptions {
  /** Sends allowed per window (default 600). */
  limit?: number;
  /** The window in ms (default 60000). */
  windowMs?: number;
}

/** Background work: releasing scheduled notifications, deleting expired ones and old idempotency keys. */
export interface NotificationsTimingOptions {
  /** How often held notifications are checked for being due, in ms (default 500). */
  schedulePollMs?: number;
  /** How often expired notifications, and idempotency keys past their 24 h window, are deleted, in ms (default 60000). */
  expiryCleanupMs?: number;
  /**
   * How long acks from all sessions gather before they are stored together, in one unit of
   * work, in ms (default 5). Longer means fewer commits and a later `deliveredAt`.
   */
  ackBatchMs?: number;
  /**
   * How often the retention sweep runs, in ms (default 600000): read or archived notifications
   * past `retention.days`, notifications left with no recipient, and spent revocations.
   */
  retentionSweepMs?: number;
  /**
   * How often a node marks how far the inbox's cursors have come, in ms (default 60000): a
   * page with `since` starts its walk at the newest mark from before `since`, so a shorter
   * interval means fewer rows read past the ones it lists. A mark is written only when
   * something was written since the last one.
   */
  cursorMarkMs?: number;
}

/** How long the module keeps what it no longer needs (module option `retention`). */
export interface NotificationsRetentionOptions {
  /**
   * Read or archived inbox entries older than this many days are deleted, and so are
   * notifications older than this left with no recipient (not held ones, nor broadcasts still
   * reaching users). Nothing unread and unexpired is ever deleted. Default unset: kept forever.
   */
  days?: number;
}

/** What users' preferences fall back to (module option `preferences`). */
export interface NotificationsPreferencesOptions {
  /**
   * Each channel's switch for users who set none for a notification (no `types`, `topics` or
   * `channels` entry decides it). Default: every channel on.
   */
  defaults?: { inApp?: boolean; push?: boolean; email?: boolean };
}

/** Where the module's tables live in the host's database (module option `tables`). */
export interface NotificationsTableOptions {
  /** Put before every table and index name (`acme_` → `acme_notifications`): lowercase letters, digits, `_`. */
  prefix?: string;
  /** A PostgreSQL schema for the tables (it must exist, or be created by the host); not on SQLite. */
  schema?: string;
}

/** Tenants (module option `tenancy`): each tenant is a world of its own (docs/tenants.md). */
export interface NotificationsTenancyOptions {
  /**
   * The JWT claim that holds the caller's tenant id (the server's TENANT_CLAIM): every token
   * must carry it as a non-empty string of at most 100 characters, else 401.
   */
  claim: string;
}

/**
 * The options that set limits and timings, which the module resolves once (ResolvedOptions);
 * NotificationsModuleOptions adds the replaceable parts.
 */
export interface NotificationsBehaviourOptions {
  websocket?: NotificationsWebSocketOptions;
  sendRateLimit?: NotificationsSendRateLimitOptions;
  /** How long a node trusts its cached revocation state of a user, in ms (default 5000). */
  revocationCacheMs?: number;
  timing?: NotificationsTimingOptions;
  /**
   * Prometheus metrics in a registry of the module's own (`PrometheusMetrics` from `nest-live-notifications/prometheus`, injected as
   * NotificationsMetrics). Needs the optional package prom-client. Default false.
   */
  metrics?: boolean;
  /**
   * Table names apart from the host's: a prefix, a PostgreSQL schema, or both. Give the same
   * value to notificationsEntities() and notificationsMigrations() for the host's DataSource.
   */
  tables?: NotificationsTableOptions;
  /** What is deleted once old (default: nothing but expired notifications and idempotency keys past 24 h). */
  retention?: NotificationsRetentionOptions;
  /** Channel defaults for users' preferences (`GET`/`PUT /preferences`). */
  preferences?: NotificationsPreferencesOptions;
  /** Tenants: unset, one tenant, as without this option. */
  tenancy?: NotificationsTenancyOptions;
}

export const DEFAULT_WS_PATH = '/ws';
export const DEFAULT_MAX_PAYLOAD_BYTES = 16384;
export const DEFAULT_HEARTBEAT_MS = 30000;
export const DEFAULT_MAX_SESSIONS_PER_USER = 20;
export const DEFAULT_MAX_FRAMES_PER_SECOND = 50;
export const DEFAULT_MAX_IDS_PER_USER_PER_SECOND = 10_000;
export const DEFAULT_MAX_PENDING_FRAMES = 100;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
export const DEFAULT_SEND_RATE_LIMIT = 600;
export const DEFAULT_SEND_RATE_WINDOW_MS = 60000;
export const DEFAULT_REVOCATION_CACHE_MS = 5000;
export const DEFAULT_SCHEDULE_POLL_MS = 500;
export const DEFAULT_EXPIRY_CLEANUP_MS = 60_000;
export const DEFAULT_CURSOR_MARK_MS = 60_000;
export const DEFAULT_ACK_BATCH_MS = 5;
export const DEFAULT_RETENTION_SWEEP_MS = 600_000;

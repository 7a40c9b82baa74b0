import { SenderPolicy } from './auth/sender-policy';
import { TokenVerifier } from './auth/token-verifier';
import { DeliveryBus } from './notifications/delivery-bus';

/** How the module verifies JWTs. One of `secret` (HS256) or `publicKey` (PEM: RS256/ES256 family) is required. */
export interface NotificationsJwtOptions {
  secret?: string;
  publicKey?: string;
  /** When set, tokens must carry this `iss`. */
  issuer?: string;
  /** When set, tokens must carry this `aud`. */
  audience?: string;
  /** Clock skew tolerated on `exp`/`nbf`, in seconds (default 30, at most 60). */
  clockToleranceSeconds?: number;
}

export interface NotificationsWebSocketOptions {
  /** Where clients connect (default `/ws`). */
  path?: string;
  /** Largest client frame in bytes; larger closes 1009 (default 16384). */
  maxPayloadBytes?: number;
}

/** Background work: releasing scheduled notifications and deleting expired ones. */
export interface NotificationsTimingOptions {
  /** How often held notifications are checked for being due, in ms (default 500). */
  schedulePollMs?: number;
  /** How often expired notifications are deleted, in ms (default 60000). */
  expiryCleanupMs?: number;
}

/** Options of `NotificationsModule.forRoot()` / `forRootAsync()`. */
export interface NotificationsModuleOptions {
  /** Token verification; ignored when `tokenVerifier` is given. */
  jwt?: NotificationsJwtOptions;
  /** Replaces JWT verification altogether. */
  tokenVerifier?: TokenVerifier;
  /** Replaces the scope rules for who may send and administer. */
  senderPolicy?: SenderPolicy;
  /** Replaces the in-process delivery bus (e.g. with Redis for several nodes). */
  deliveryBus?: DeliveryBus;
  websocket?: NotificationsWebSocketOptions;
  timing?: NotificationsTimingOptions;
}

export const DEFAULT_WS_PATH = '/ws';
export const DEFAULT_MAX_PAYLOAD_BYTES = 16384;
export const DEFAULT_SCHEDULE_POLL_MS = 500;
export const DEFAULT_EXPIRY_CLEANUP_MS = 60_000;

import { SenderPolicy } from './auth/sender-policy';
import { TokenVerifier } from './auth/token-verifier';
import { DeliveryBus } from './notifications/delivery-bus';

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
}

export interface NotificationsWebSocketOptions {
  /** Where clients connect (default `/ws`). */
  path?: string;
  /** Largest client frame in bytes; larger closes 1009 (default 16384). */
  maxPayloadBytes?: number;
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
}

export const DEFAULT_WS_PATH = '/ws';
export const DEFAULT_MAX_PAYLOAD_BYTES = 16384;

import { Backoff } from './backoff';
import { ClientErrorCode, NotificationClientError } from './client-error';
import { buildSocketUrl } from './socket-url';
import type { TokenProvider } from './token-provider';
import type { WebSocketConstructor } from './web-socket-like';

/** Options of {@link connect}; only `url` and `token` are required. */
export interface ConnectOptions {
  /** Server base: `http(s)://host:port`, `ws(s)://…`, or a relative path in a browser. */
  url: string;
  /** A JWT, or a function (sync or async) returning a fresh one. */
  token: TokenProvider;
  /** Socket path on the server. Default `/ws`. */
  path?: string;
  /** WebSocket class; default `globalThis.WebSocket`. In Node 20, pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructor;
  /** First backoff window. Default 500 ms. */
  backoffBaseMs?: number;
  /** Largest backoff window. Default 30 s. */
  backoffCapMs?: number;
  /** Smallest window after the server announces a shutdown or restart (1001, 1012, 1013). Default 5 s. */
  shutdownWindowMs?: number;
  /**
   * Smallest window of the first retry after a session that reached `ready` drops without
   * notice (1006 when a node crashes, and any other code that is not a shutdown). Default 3 s.
   */
  lostSessionWindowMs?: number;
  /** Source of randomness in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** How long before the token's `exp` to send `refresh`. Default 30 s. */
  refreshBeforeExpiryMs?: number;
  /** How many recent notification ids to remember for dedupe. Default 1,000. */
  dedupeCapacity?: number;
  /**
   * Acks and reads go out at most twice per window, batched (at once when the last window
   * is over). Default 100 ms: 20 frames a second at most, under the server's flood limit.
   */
  batchWindowMs?: number;
  /** A cursor saved from an earlier client, to resume after it on the first connect. */
  after?: string;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<Omit<ConnectOptions, 'after'>> & Pick<ConnectOptions, 'after'>;

/** Applies defaults and fails fast, at `connect()`, on options that could never work. */
export function resolveOptions(options: ConnectOptions): ResolvedOptions {
  const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!WebSocketClass) {
    throw new NotificationClientError(
      ClientErrorCode.NoWebSocket,
      'no global WebSocket: pass one as the `WebSocket` option (in Node 20, `import { WebSocket } from "ws"`)',
    );
  }
  const resolved: ResolvedOptions = {
    url: options.url,
    token: options.token,
    path: options.path ?? '/ws',
    WebSocket: WebSocketClass,
    backoffBaseMs: options.backoffBaseMs ?? 500,
    backoffCapMs: options.backoffCapMs ?? 30_000,
    shutdownWindowMs: options.shutdownWindowMs ?? 5_000,
    lostSessionWindowMs: options.lostSessionWindowMs ?? 3_000,
    random: options.random ?? Math.random,
    refreshBeforeExpiryMs: options.refreshBeforeExpiryMs ?? 30_000,
    dedupeCapacity: options.dedupeCapacity ?? 1_000,
    batchWindowMs: options.batchWindowMs ?? 100,
    after: options.after,
  };
  // Throws now on a malformed url rather than on every reconnect.
  buildSocketUrl({ url: resolved.url, path: resolved.path, token: 'check' });
  return resolved;
}

/** The backoff the options describe. */
export function backoffFor(options: ResolvedOptions): Backoff {
  return new Backoff({ baseMs: options.backoffBaseMs, capMs: options.backoffCapMs, random: options.random });
}

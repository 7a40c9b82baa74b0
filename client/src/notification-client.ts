import type { Backoff } from './backoff';
import { ClientErrorCode, NotificationClientError } from './client-error';
import { backoffFor, resolveOptions, type ConnectOptions, type ResolvedOptions } from './client-options';
import { actionForCloseCode, CloseCode } from './close-code';
import { parseServerFrame } from './server-frame';
import { Outbox } from './outbox';
import { RecentIds } from './recent-ids';
import { buildSocketUrl } from './socket-url';
import { resolveToken } from './token-provider';
import { TokenRefresher } from './token-refresher';
import { firstFailure, TypedEmitter } from './typed-emitter';
import type { ClientErrorPayload, ClientEvents, ConnectionState, Notification, NotificationClientEvents, ReadyPayload } from './types';
import { SOCKET_OPEN, type WebSocketLike } from './web-socket-like';

interface PendingPing {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A live connection to the notification server that reconnects, resumes and refreshes its
 * token on its own. Connecting starts at construction, as with `new WebSocket(url)`.
 */
export class NotificationClient extends TypedEmitter<NotificationClientEvents> {
  private readonly options: ResolvedOptions;
  private readonly backoff: Backoff;
  private readonly seen: RecentIds;
  private readonly outbox: Outbox;
  private readonly refresher: TokenRefresher;
  private readonly pings: PendingPing[] = [];
  private currentState: ConnectionState = 'connecting';
  private socket: WebSocketLike | undefined;
  private token: string | undefined;
  private lastCursor: string | undefined;
  private lastUnreadCount: number | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  // Whether the current socket reached `ready`: losing such a session is what a whole node's
  // clients do at the same instant, so its first retry spreads wider than a failed dial's.
  private sessionReady = false;
  // Consecutive 4401 closes with no refresh in between: only the first reconnects at once,
  // so a token function handing out already-expiring tokens cannot spin a tight loop.
  private expiredStreak = 0;

  constructor(options: ConnectOptions) {
    super();
    this.options = resolveOptions(options);
    this.backoff = backoffFor(this.options);
    this.seen = new RecentIds(this.options.dedupeCapacity);
    this.outbox = new Outbox((event, ids) => this.send(event, { ids }), this.options.batchWindowMs);
    this.refresher = new TokenRefresher(this.options.refreshBeforeExpiryMs, () => void this.refreshToken());
    this.lastCursor = this.options.after;
    void this.dial();
  }

  /** `connecting` (also while waiting to retry), `open`, or `closed` once it has stopped for good. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** Cursor of the last notification received; save it to resume a later client with `after`. */
  get cursor(): string | undefined {
    return this.lastCursor;
  }

  /** The user's unread count as last reported by the server. */
  get unreadCount(): number | undefined {
    return this.lastUnreadCount;
  }

  /** Marks notifications read for this user; sent now if open, else on the next session. */
  markRead(ids: string | readonly string[]): void {
    this.outbox.add('read', typeof ids === 'string' ? [ids] : ids);
  }

  /** Sends `ping`; resolves with the round trip in milliseconds when the `pong` arrives. */
  ping(): Promise<number> {
    if (!this.send('ping', {})) {
      return Promise.reject(new NotificationClientError(ClientErrorCode.NotOpen, 'ping needs an open session'));
    }
    const sentAt = Date.now();
    return new Promise((resolve, reject) => {
      this.pings.push({ resolve: () => resolve(Date.now() - sentAt), reject });
    });
  }

  /** Closes the session and stops reconnecting; the client cannot be reopened. */
  close(): void {
    if (this.stopped) return;
    const socket = this.detach();
    this.stop();
    socket?.close(CloseCode.Normal, 'client closed');
    this.emitSafely('closed', { code: CloseCode.Normal, reason: 'client closed', retryInMs: null });
  }

  private async dial(): Promise<void> {
    this.retryTimer = undefined;
    let token: string;
    try {
      token = await resolveToken(this.options.token);
    } catch (error) {
      if (this.stopped) return;
      this.report(NotificationClientError.from(error));
      this.retryAfter(this.backoff.next());
      return;
    }
    if (this.stopped) return;
    this.token = token;
    const { url, path } = this.options;
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(buildSocketUrl({ url, path, token, after: this.lastCursor }));
    } catch (error) {
      // Browsers throw here, for instance, on a ws:// url from an https:// page.
      const message = 'the WebSocket could not be created';
      this.report(new NotificationClientError(ClientErrorCode.Dial, message, { cause: error }));
      this.retryAfter(this.backoff.next());
      return;
    }
    this.socket = socket;
    // Events of a socket this client has let go of (closed, replaced) are ignored.
    socket.addEventListener('open', () => socket === this.socket && this.setState('open'));
    socket.addEventListener('message', (event) => socket === this.socket && this.receive(event.data));
    socket.addEventListener('close', (event) => socket === this.socket && this.closed(event.code, event.reason));
    // The close event that follows says what to do; without a listener, `ws` would throw.
    socket.addEventListener('error', () => undefined);
  }

  private receive(raw: unknown): void {
    const frame = parseServerFrame(raw);
    if (frame === null) return;
    if (frame instanceof NotificationClientError) return this.report(frame);
    switch (frame.event) {
      case 'ready':
        return this.ready(frame.data);
      case 'notification':
        return this.deliver(frame.data);
      case 'unread':
        return this.updateUnreadCount(frame.data.count);
      case 'error':
        return this.report(frame.data);
      case 'pong':
        return this.pings.shift()?.resolve();
    }
  }

  private ready(payload: ReadyPayload): void {
    this.backoff.reset();
    this.sessionReady = true;
    if (this.token !== undefined && typeof this.options.token === 'function') this.refresher.schedule(this.token);
    this.outbox.flush();
    this.emitSafely('ready', payload);
    this.updateUnreadCount(payload.unreadCount);
  }

  private deliver(notification: Notification): void {
    this.lastCursor = notification.cursor;
    // With no listener, leave it unacknowledged and unremembered: a later connection without
    // a cursor (the next page load) delivers it again. A resume with `after` does not.
    if (!this.hasListeners('notification')) return;
    // By id and cursor: a redelivery repeats both, a snoozed notification comes back with a new cursor.
    const entry = `${notification.id}@${notification.cursor}`;
    if (!this.seen.add(entry)) return;
    void firstFailure(this.dispatch('notification', notification)).then((failure) => {
      if (!failure) return this.outbox.add('ack', [notification.id]);
      // Unacknowledged, so a later session without a cursor delivers it again; let it through then.
      this.seen.delete(entry);
      this.reportListenerFailure('notification', failure.error);
    });
  }

  private updateUnreadCount(count: number): void {
    if (count === this.lastUnreadCount) return;
    this.lastUnreadCount = count;
    this.emitSafely('unread', { count });
  }

  private closed(code: number, reason: string): void {
    this.detach();
    const lostSession = this.sessionReady;
    this.sessionReady = false;
    const retryInMs = this.retryDelayAfterClose(code, lostSession);
    if (retryInMs === undefined) this.stop();
    else this.retryAfter(retryInMs);
    this.emitSafely('closed', { code, reason, retryInMs: retryInMs ?? null });
  }

  /**
   * Milliseconds until the next attempt after a close with `code`, or undefined to stop.
   * `lostSession`: the socket had reached `ready` (else it was a dial that failed).
   */
  private retryDelayAfterClose(code: number, lostSession: boolean): number | undefined {
    const action = actionForCloseCode(code);
    if (action === 'refresh-and-reconnect') {
      if (typeof this.options.token === 'string') {
        const message = 'the token expired; pass a function as `token` to refresh it';
        this.report(new NotificationClientError(ClientErrorCode.TokenExpired, message));
        return undefined;
      }
      this.expiredStreak += 1;
      // `dial` calls the token function, so reconnecting is refreshing.
      return this.expiredStreak === 1 ? 0 : this.backoff.next(this.options.backoffBaseMs * 2 ** this.expiredStreak);
    }
    this.expiredStreak = 0;
    if (action === 'stop') return undefined;
    if (action === 'backoff-after-shutdown') return this.backoff.next(this.options.shutdownWindowMs);
    // A crashed node closes nothing (1006): its clients all lose their session at the same
    // instant without a word, so the first retry must spread over seconds, not over the
    // 500 ms of a first backoff window. A dial that never got a session keeps retrying quickly.
    return this.backoff.next(lostSession ? this.options.lostSessionWindowMs : 0);
  }

  private async refreshToken(): Promise<void> {
    const socket = this.socket;
    let token: string;
    try {
      token = await resolveToken(this.options.token);
    } catch (error) {
      // The server will close with 4401 at expiry, and reconnecting asks for a token again.
      return this.report(NotificationClientError.from(error));
    }
    if (socket !== this.socket) return;
    this.token = token;
    if (this.send('refresh', { token })) this.expiredStreak = 0;
    this.refresher.schedule(token);
  }

  private retryAfter(delayMs: number): void {
    this.setState('connecting');
    this.retryTimer = setTimeout(() => void this.dial(), delayMs);
  }

  private stop(): void {
    this.stopped = true;
    this.outbox.cancel();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.setState('closed');
  }

  /** Lets go of the current socket: its later events are ignored, its pending pings fail. */
  private detach(): WebSocketLike | undefined {
    const socket = this.socket;
    this.socket = undefined;
    this.refresher.cancel();
    const error = new NotificationClientError(ClientErrorCode.NotOpen, 'the session closed before the pong');
    for (const ping of this.pings.splice(0)) ping.reject(error);
    return socket;
  }

  private send<Name extends keyof ClientEvents>(event: Name, data: ClientEvents[Name]): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return false;
    socket.send(JSON.stringify({ event, data }));
    return true;
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emitSafely('state', state);
  }

  private emitSafely<Name extends keyof NotificationClientEvents>(name: Name, payload: NotificationClientEvents[Name]): void {
    void firstFailure(this.dispatch(name, payload)).then((failure) => {
      if (failure) this.reportListenerFailure(name, failure.error);
    });
  }

  private reportListenerFailure(name: keyof NotificationClientEvents, cause: unknown): void {
    const error = new NotificationClientError(ClientErrorCode.Listener, `a "${name}" listener failed`, { cause });
    // An `error` listener that fails cannot report through `error`: hand it to the console.
    if (name === 'error') console.error(error);
    else this.report(error);
  }

  private report(error: ClientErrorPayload | NotificationClientError): void {
    const payload = error instanceof NotificationClientError ? error.toPayload() : error;
    // Like an unhandled 'error' on an EventEmitter, an error nobody listens to must still show.
    if (!this.hasListeners('error')) {
      console.error('[notifications]', payload.code, payload.message, payload.cause ?? '');
    }
    this.emitSafely('error', payload);
  }
}

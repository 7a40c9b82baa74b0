import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { Principal } from '../auth/principal';
import { coalesceFramesThisTurn } from './frame-coalescing';
import { SessionSocket } from './session-socket';

/** How a session reaches its client (`poll`: a long poll waiting for its answer); metrics count sessions by it. */
export type SessionTransport = 'websocket' | 'sse' | 'poll';

/** A held frame; notifications carry their cursor, and the user's cursor before it when known. */
interface HeldFrame {
  frame: string;
  cursor?: number;
  previousCursor?: number;
}

/**
 * One open session of a user, over a WebSocket or a Server-Sent Events stream. Until its
 * backlog has been replayed it holds live frames back, then sends those the replay did not
 * already cover: a notification reaches a healthy session once, in cursor order, however
 * its commit raced the replay.
 *
 * With several nodes (or concurrent PostgreSQL transactions) live notifications may
 * arrive out of cursor order. One that says its user's previous cursor is one this
 * session has not sent reveals a gap: the session holds it, stops being live, and asks
 * (`whenBehind`) to catch up from the database, which still has the missing one.
 */
export class Session {
  readonly id = randomUUID();
  private live = false;
  private held: HeldFrame[] = [];
  private heldBytes = 0;
  private lastCursor = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  private onBehind: (() => void) | undefined;
  private rereadRequested = false;
  private frameTail: Promise<unknown> = Promise.resolve();
  private turnsWaiting = 0;
  /** Bytes the socket may hold unsent before the session is dropped as a slow consumer. */
  maxBufferedBytes = Infinity;
  /** Called once when the session is dropped for not reading. */
  onSlowConsumer: (() => void) | undefined;

  constructor(
    readonly socket: SessionSocket,
    public principal: Principal,
    /** The `after` cursor the client resumed from, if any. */
    readonly resumeAfter: string | undefined,
    readonly transport: SessionTransport = 'websocket',
  ) {
    if (resumeAfter !== undefined) this.lastCursor = Number(resumeAfter);
  }

  get userId(): string {
    return this.principal.userId;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** The cursor of the last notification this session sent. */
  get cursor(): number {
    return this.lastCursor;
  }

  /**
   * Runs the handler of a client frame after the previous frame's has finished: a client
   * that sends `ack` then `ping` gets its `pong` once the ack is stored, on every engine.
   */
  inTurn<T>(task: () => T | Promise<T>): Promise<T> {
    this.turnsWaiting++;
    const turn = this.frameTail.then(task).finally(() => this.turnsWaiting--);
    // The caller gets the outcome, error included; the chain only waits for the turn to end.
    this.frameTail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** Client frames handed to {@link inTurn} and not yet handled (the one running included). */
  get pendingFrames(): number {
    return this.turnsWaiting;
  }

  /** Whether frames go straight out (false while replaying or catching up). */
  get isLive(): boolean {
    return this.live;
  }

  /** Called when this session is behind and must catch up from the database. */
  whenBehind(callback: () => void): void {
    this.onBehind = callback;
  }

  /**
   * A notification frame: sent unless this session already sent that cursor or a later one.
   * With `previousCursor` (the user's cursor before this one), a gap makes it catch up first.
   */
  sendNotification(cursor: number, frame: string, previousCursor?: number): void {
    if (!this.live) {
      this.hold({ frame, cursor, previousCursor });
      return;
    }
    if (cursor <= this.lastCursor) return;
    if (previousCursor !== undefined && previousCursor > this.lastCursor) {
      this.fallBehind([{ frame, cursor, previousCursor }]);
      return;
    }
    this.lastCursor = cursor;
    this.send(frame);
  }

  /**
   * Messages may have been lost (the bus was down): catch up from the database. If a
   * replay is already running, it reads once more before going live.
   */
  requestCatchUp(): void {
    if (this.live) this.fallBehind([]);
    else this.rereadRequested = true;
  }

  /** For the replay loop: whether someone asked for another read since the last call. */
  takeRereadRequest(): boolean {
    const requested = this.rereadRequested;
    this.rereadRequested = false;
    return requested;
  }

  /**
   * Everything up to `cursor` that this session should see has been sent (the replay read
   * past it): later frames at or below it are duplicates, not gaps.
   */
  coveredUpTo(cursor: number): void {
    if (cursor > this.lastCursor) this.lastCursor = cursor;
  }

  /** A frame that is not a notification (unread counts…): sent in turn with the rest. */
  sendOther(frame: string): void {
    if (this.live) this.send(frame);
    else this.hold({ frame });
  }

  /** Live frames wait for the replay; they count against the slow-consumer cap too. */
  private hold(entry: HeldFrame): void {
    this.heldBytes += entry.frame.length;
    if (this.heldBytes > this.maxBufferedBytes) return this.dropAsSlowConsumer();
    this.held.push(entry);
  }

  /**
   * A notification of the backlog replay, in cursor order. The replay is flow-controlled: past
   * half the slow-consumer cap this resolves only once the socket has written the frame, so a
   * long backlog never counts against a client that reads.
   */
  async sendReplayed(cursor: number, frame: string): Promise<void> {
    if (cursor > this.lastCursor) this.lastCursor = cursor;
    if (!this.isOpen) return;
    // A page of the backlog goes out in a few large writes, not one system call per frame.
    coalesceFramesThisTurn(this.socket);
    if (this.socket.bufferedAmount + frame.length <= this.maxBufferedBytes / 2) return this.socket.send(frame);
    await new Promise<void>((resolve) => this.socket.send(frame, () => resolve()));
  }

  /** The replay is done: release held frames the replay did not cover, then send live. */
  goLive(): void {
    this.live = true;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (let index = 0; index < held.length; index++) {
      const { frame, cursor, previousCursor } = held[index];
      if (cursor === undefined) this.send(frame);
      else this.sendNotification(cursor, frame, previousCursor);
      if (!this.live) {
        // A gap: the held frame that revealed it is back in `held`; keep the rest behind it.
        for (const rest of held.slice(index + 1)) this.hold(rest);
        return;
      }
    }
  }

  private fallBehind(frames: HeldFrame[]): void {
    this.live = false;
    for (const frame of frames) this.hold(frame);
    this.onBehind?.();
  }

  send(frame: string): void {
    if (!this.isOpen) return;
    // A client that stops reading would make the server queue its frames without bound. Past
    // the cap the socket is dropped, not closed: a close frame would wait behind the backlog.
    // Nothing is lost, the client resumes from its cursor when it reconnects.
    if (this.socket.bufferedAmount > this.maxBufferedBytes) return this.dropAsSlowConsumer();
    coalesceFramesThisTurn(this.socket);
    this.socket.send(frame);
  }

  private dropAsSlowConsumer(): void {
    if (!this.isOpen) return;
    this.held = [];
    this.clearExpiry();
    this.socket.terminate();
    this.onSlowConsumer?.();
  }

  close(code: number, reason: string): void {
    this.clearExpiry();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  /** Calls `onExpired` when the token expires (re-armed on refresh). */
  armExpiry(onExpired: () => void): void {
    this.clearExpiry();
    // setTimeout holds at most ~24.8 days; a longer-lived token re-arms when that fires.
    const delay = Math.min(Math.max(this.principal.expiresAt - Date.now(), 0), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => {
      if (Date.now() >= this.principal.expiresAt) onExpired();
      else this.armExpiry(onExpired);
    }, delay);
    this.expiryTimer.unref();
  }

  clearExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
  }
}

import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { Principal } from '../auth/principal';

/** A held frame; notifications carry their cursor, and the user's cursor before it when known. */
interface HeldFrame {
  frame: string;
  cursor?: number;
  previousCursor?: number;
}

/**
 * One open socket of a user. Until its backlog has been replayed it holds live frames
 * back, then sends those the replay did not already cover: a notification reaches a
 * healthy session once, in cursor order, however its commit raced the replay.
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
  private lastCursor = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  private onBehind: (() => void) | undefined;
  private rereadRequested = false;
  private frameTail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    public principal: Principal,
    /** The `after` cursor the client resumed from, if any. */
    readonly resumeAfter: string | undefined,
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
    const turn = this.frameTail.then(task);
    // The caller gets the outcome, error included; the chain only waits for the turn to end.
    this.frameTail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
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
      this.held.push({ frame, cursor, previousCursor });
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
    else this.held.push({ frame });
  }

  /** A notification of the backlog replay, in cursor order. */
  sendReplayed(cursor: number, frame: string): void {
    if (cursor > this.lastCursor) this.lastCursor = cursor;
    this.send(frame);
  }

  /** The replay is done: release held frames the replay did not cover, then send live. */
  goLive(): void {
    this.live = true;
    const held = this.held;
    this.held = [];
    for (let index = 0; index < held.length; index++) {
      const { frame, cursor, previousCursor } = held[index];
      if (cursor === undefined) this.send(frame);
      else this.sendNotification(cursor, frame, previousCursor);
      if (!this.live) {
        // A gap: the held frame that revealed it is back in `held`; keep the rest behind it.
        this.held.push(...held.slice(index + 1));
        return;
      }
    }
  }

  private fallBehind(frames: HeldFrame[]): void {
    this.live = false;
    this.held.push(...frames);
    this.onBehind?.();
  }

  send(frame: string): void {
    if (this.isOpen) this.socket.send(frame);
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

import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { Principal } from '../auth/principal';
import { SessionSocket } from './session-socket';

/**
 * One open session of a user, over a WebSocket or a Server-Sent Events stream. Until its backlog has been replayed it holds live frames
 * back, then sends those the replay did not already cover: a notification reaches a
 * healthy session once, in cursor order, however its commit raced the replay.
 */
export class Session {
  readonly id = randomUUID();
  private live = false;
  private held: Array<{ frame: string; cursor?: number }> = [];
  private heldBytes = 0;
  private lastCursor = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** Bytes the socket may hold unsent before the session is dropped as a slow consumer. */
  maxBufferedBytes = Infinity;
  /** Called once when the session is dropped for not reading. */
  onSlowConsumer: (() => void) | undefined;

  constructor(
    readonly socket: SessionSocket,
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

  /** A notification frame: sent unless this session already sent that cursor or a later one. */
  sendNotification(cursor: number, frame: string): void {
    if (!this.live) {
      this.hold({ frame, cursor });
      return;
    }
    if (cursor <= this.lastCursor) return;
    this.lastCursor = cursor;
    this.send(frame);
  }

  /** A frame that is not a notification (unread counts…): sent in turn with the rest. */
  sendOther(frame: string): void {
    if (this.live) this.send(frame);
    else this.hold({ frame });
  }

  /** Live frames wait for the replay; they count against the slow-consumer cap too. */
  private hold(entry: { frame: string; cursor?: number }): void {
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
    if (this.socket.bufferedAmount + frame.length <= this.maxBufferedBytes / 2) return this.socket.send(frame);
    await new Promise<void>((resolve) => this.socket.send(frame, () => resolve()));
  }

  /** The replay is done: release held frames the replay did not cover, then send live. */
  goLive(): void {
    this.live = true;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const { frame, cursor } of held) {
      if (cursor === undefined) this.send(frame);
      else this.sendNotification(cursor, frame);
    }
  }

  send(frame: string): void {
    if (!this.isOpen) return;
    // A client that stops reading would make the server queue its frames without bound. Past
    // the cap the socket is dropped, not closed: a close frame would wait behind the backlog.
    // Nothing is lost, the client resumes from its cursor when it reconnects.
    if (this.socket.bufferedAmount > this.maxBufferedBytes) return this.dropAsSlowConsumer();
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

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
  private lastCursor = 0;
  private expiryTimer: NodeJS.Timeout | undefined;

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
      this.held.push({ frame, cursor });
      return;
    }
    if (cursor <= this.lastCursor) return;
    this.lastCursor = cursor;
    this.send(frame);
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
    for (const { frame, cursor } of held) {
      if (cursor === undefined) this.send(frame);
      else this.sendNotification(cursor, frame);
    }
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

import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { Principal } from '../auth/principal';
import { Session } from '../sessions/session';
import { SessionSocket } from '../sessions/session-socket';

/**
 * A long poll (`GET /notifications?after=…&wait=…`) while it waits, registered in the
 * SessionRegistry like any session of its user: LiveDelivery hands it every notification
 * for that user on this node (the bus brings those of other nodes), BroadcastRelay puts
 * released broadcasts in its user's inbox, revocation and shutdown close it. It writes
 * nothing: a notification past its cursor, or a hint that one may have been missed,
 * wakes the request, which then reads the inbox and answers with what it finds.
 */
export class WaitingPoll extends Session {
  private signals = 0;
  private waiter: (() => void) | undefined;

  constructor(principal: Principal, afterCursor: string) {
    const socket = new PollSocket();
    super(socket, principal, afterCursor, 'poll');
    socket.once('close', () => this.wake());
    // Live from the start: nothing to replay, the request reads the inbox itself.
    this.goLive();
  }

  /** How many wake-ups so far: take it before reading the inbox, then pass it to {@link wokenSince}. */
  get wakeCount(): number {
    return this.signals;
  }

  /** Resolves on the first wake-up after `count` (at once if there was one), or when the poll is closed. */
  wokenSince(count: number): Promise<void> {
    if (this.signals > count || !this.isOpen) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** The close code, once closed: revoked (4403), shutting down (1001), or the poll's own end. */
  get closeCode(): number | undefined {
    return (this.socket as PollSocket).closeCode;
  }

  /** The frame itself is not needed: the request reads what follows its cursor from the database. */
  override sendNotification(cursor: number, _frame?: string, _previousCursor?: number): void {
    if (cursor > this.cursor) this.wake();
  }

  /** The bus may have lost messages: read the inbox again. */
  override requestCatchUp(): void {
    this.wake();
  }

  /** Unread counts and other frames: a poll answers with notifications only. */
  override sendOther(_frame?: string): void {}

  private wake(): void {
    this.signals++;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/** The SessionSocket of a waiting poll: open until the poll ends, and nothing to write to. */
class PollSocket implements SessionSocket {
  readyState: number = WebSocket.OPEN;
  readonly bufferedAmount = 0;
  closeCode: number | undefined;
  private readonly events = new EventEmitter();

  send(_frame: string, sent?: (error?: Error) => void): void {
    sent?.();
  }

  close(code: number): void {
    if (this.readyState === WebSocket.CLOSED) return;
    this.readyState = WebSocket.CLOSED;
    this.closeCode = code;
    this.events.emit('close');
  }

  terminate(): void {
    this.close(1006);
  }

  once(event: 'close', listener: () => void): this {
    this.events.once(event, listener);
    return this;
  }
}

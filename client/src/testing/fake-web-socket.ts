import type { WebSocketLike } from '../web-socket-like';

type Listener = (event: never) => void;

/** An in-memory WebSocket for unit specs: the test plays the server through its helpers. */
export class FakeWebSocket implements WebSocketLike {
  /** Every socket dialed since the last {@link reset}, oldest first. */
  static dialed: FakeWebSocket[] = [];

  static reset(): void {
    FakeWebSocket.dialed = [];
  }

  /** The most recently dialed socket. */
  static get last(): FakeWebSocket {
    const socket = FakeWebSocket.dialed[FakeWebSocket.dialed.length - 1];
    if (!socket) throw new Error('no socket was dialed');
    return socket;
  }

  readyState = 0;
  readonly dialedAt = Date.now();
  readonly sent: Array<{ event: string; data: unknown }> = [];
  closedByClient: { code?: number; reason?: string } | undefined;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {
    FakeWebSocket.dialed.push(this);
  }

  /** The query of the dialed URL. */
  get query(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as { event: string; data: unknown });
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = 3;
  }

  /** Data of the frames the client sent with `event`. */
  framesSent(event: string): unknown[] {
    return this.sent.filter((frame) => frame.event === event).map((frame) => frame.data);
  }

  /** Server side: accept the upgrade. */
  accept(): void {
    this.readyState = 1;
    this.fire('open', {});
  }

  /** Server side: accept and send `ready`, as the real server does first. */
  acceptReady(unreadCount = 0): void {
    this.accept();
    this.push('ready', { sessionId: `s${FakeWebSocket.dialed.indexOf(this)}`, userId: 'u1', unreadCount });
  }

  /** Server side: send a frame. */
  push(event: string, data: unknown): void {
    this.pushRaw(JSON.stringify({ event, data }));
  }

  pushRaw(text: string): void {
    this.fire('message', { data: text });
  }

  /** Server side (or network): the socket closes with `code`. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.fire('close', { code, reason });
  }

  private fire(type: string, event: object): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as (event: object) => void)(event);
  }
}

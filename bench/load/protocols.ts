/**
 * Per-target connection adapters. Both speak over the `ws` client so that the load client's
 * own cost per frame is the same whichever server it measures; only the framing differs:
 *
 * - `contract`: the project's wire contract, `/ws?access_token=` and `{"event","data"}` frames.
 * - `socket.io`: Engine.IO v4 / Socket.IO v5 framing, written out by hand (the handshake
 *   packet, `40{auth}`, `42[event,data]`, ping `2` / pong `3`) instead of socket.io-client,
 *   whose extra layers would make the client, not the server, the slower side.
 */
import { WebSocket } from 'ws';

/** What the load client needs from a received notification. */
export interface ReceivedNotification {
  id: string;
  cursor?: string;
  data?: { k?: number } | null;
}

export type NotificationListener = (session: Session, notification: ReceivedNotification, receivedAt: number) => void;

export interface SessionOptions {
  port: number;
  userId: string;
  token: string;
  localAddress: string;
  onNotification: NotificationListener;
  handshakeTimeoutMs: number;
}

/**
 * Acks are batched over this window, as the client SDK batches them (client/src/outbox.ts):
 * a client that acked each notification alone would pass the server's frame-rate limit while
 * a long backlog replays.
 */
const ACK_BATCH_MS = 100;

/** One authenticated client connection. It acks every notification it receives. */
export abstract class Session {
  /** Resolves with performance.now() when the server's `ready` arrives. */
  readonly ready: Promise<number>;
  protected readonly socket: WebSocket;
  private resolveReady!: (at: number) => void;
  private rejectReady!: (error: Error) => void;
  private isReady = false;
  private pendingAcks: string[] = [];
  private readonly readyTimer: NodeJS.Timeout;

  constructor(
    readonly options: SessionOptions,
    url: string,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Marks the promise handled; callers still see the rejection when they await it.
    this.ready.catch(() => undefined);
    this.socket = new WebSocket(url, {
      perMessageDeflate: false,
      localAddress: options.localAddress,
      handshakeTimeout: options.handshakeTimeoutMs,
    });
    this.socket.on('message', (raw) => {
      try {
        this.onFrame(raw.toString());
      } catch (error) {
        // A frame the client cannot read ends the session; what it carried counts as lost.
        this.fail(error as Error);
        this.socket.terminate();
      }
    });
    this.socket.on('unexpected-response', (_request, response) => {
      this.fail(new Error(`HTTP ${response.statusCode} instead of an upgrade`));
      this.socket.terminate();
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', (code) => this.fail(new Error(`closed with ${code} before ready`)));
    this.readyTimer = setTimeout(() => {
      this.fail(new Error(`no ready frame within ${options.handshakeTimeoutMs} ms`));
      this.socket.terminate();
    }, options.handshakeTimeoutMs);
  }

  get userId(): string {
    return this.options.userId;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Drops the connection without a closing handshake (cheapest for the client). */
  terminate(): void {
    this.socket.terminate();
  }

  protected abstract onFrame(text: string): void;
  protected abstract sendAck(ids: string[]): void;

  protected onReady(): void {
    clearTimeout(this.readyTimer);
    this.isReady = true;
    this.resolveReady(performance.now());
  }

  protected onNotification(notification: ReceivedNotification): void {
    this.options.onNotification(this, notification, performance.now());
    if (this.pendingAcks.push(notification.id) === 1) setTimeout(() => this.flushAcks(), ACK_BATCH_MS);
  }

  protected fail(error: Error): void {
    clearTimeout(this.readyTimer);
    if (!this.isReady) this.rejectReady(error);
  }

  private flushAcks(): void {
    const ids = this.pendingAcks;
    this.pendingAcks = [];
    if (this.isOpen) this.sendAck(ids);
  }
}

export class ContractSession extends Session {
  constructor(options: SessionOptions) {
    super(options, `ws://127.0.0.1:${options.port}/ws?access_token=${options.token}`);
  }

  protected onFrame(text: string): void {
    const frame = JSON.parse(text) as { event: string; data: unknown };
    if (frame.event === 'notification') this.onNotification(frame.data as ReceivedNotification);
    else if (frame.event === 'ready') this.onReady();
  }

  protected sendAck(ids: string[]): void {
    this.socket.send(JSON.stringify({ event: 'ack', data: { ids } }));
  }
}

/** Engine.IO packet types (first character of a frame) and the Socket.IO ones after `4`. */
const ENGINE_OPEN = '0';
const ENGINE_CLOSE = '1';
const ENGINE_PING = '2';
const ENGINE_MESSAGE = '4';
const SOCKET_CONNECT = '0';
const SOCKET_DISCONNECT = '1';
const SOCKET_EVENT = '2';
const SOCKET_CONNECT_ERROR = '4';

export class SocketIoSession extends Session {
  constructor(options: SessionOptions) {
    super(options, `ws://127.0.0.1:${options.port}/socket.io/?EIO=4&transport=websocket`);
  }

  protected onFrame(text: string): void {
    switch (text[0]) {
      case ENGINE_OPEN:
        this.socket.send(`${ENGINE_MESSAGE}${SOCKET_CONNECT}${JSON.stringify({ token: this.options.token })}`);
        return;
      case ENGINE_PING:
        this.socket.send('3');
        return;
      case ENGINE_CLOSE:
        this.fail(new Error('engine.io close'));
        return;
      case ENGINE_MESSAGE:
        return this.onSocketPacket(text);
    }
  }

  private onSocketPacket(text: string): void {
    const type = text[1];
    if (type === SOCKET_EVENT) {
      const [event, data] = JSON.parse(text.slice(2)) as [string, unknown];
      if (event === 'notification') this.onNotification(data as ReceivedNotification);
      else if (event === 'ready') this.onReady();
    } else if (type === SOCKET_DISCONNECT || type === SOCKET_CONNECT_ERROR) {
      this.fail(new Error(`socket.io refused the session: ${text}`));
      this.socket.terminate();
    }
  }

  protected sendAck(ids: string[]): void {
    this.socket.send(`${ENGINE_MESSAGE}${SOCKET_EVENT}${JSON.stringify(['ack', { ids }])}`);
  }
}

export type ProtocolName = 'contract' | 'socket.io';

export function openSession(protocol: ProtocolName, options: SessionOptions): Session {
  return protocol === 'socket.io' ? new SocketIoSession(options) : new ContractSession(options);
}

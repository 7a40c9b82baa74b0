import { WebSocket, type MessageEvent } from 'ws';
import type { NotificationClient, NotificationClientEvents } from '../../client/src';

/** What one socket the SDK opened carried, both ways. */
export interface RecordedSocket {
  url: URL;
  socket: WebSocket;
  received: Array<{ event: string; data: any }>;
  sent: Array<{ event: string; data: any }>;
}

/** A recording WebSocket class, what it recorded, and a wait on it. */
export interface RecordingWire {
  WebSocket: new (url: string) => WebSocket;
  sockets: RecordedSocket[];
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/**
 * The `ws` WebSocket class for the SDK, recording every socket it opens and every frame
 * both ways, so tests can see the wire (resume cursors, duplicates, acks) and drop a
 * connection as a network failure would. `rewriteUrl` alters each dialed url.
 * `messagePerTask` hands the SDK each message in a task of its own, as a browser does
 * (`ws` emits all the messages of one TCP read in one go).
 */
export function recordingWebSocket(options: { rewriteUrl?: (url: string) => string; messagePerTask?: boolean } = {}): RecordingWire {
  const sockets: RecordedSocket[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };

  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      const dialed = options.rewriteUrl ? options.rewriteUrl(url) : url;
      super(dialed);
      const record: RecordedSocket = { url: new URL(dialed), socket: this, received: [], sent: [] };
      sockets.push(record);
      this.on('message', (data) => {
        record.received.push(JSON.parse(String(data)));
        wake();
      });
      const send = this.send.bind(this) as (data: string) => void;
      this.send = ((data: string) => {
        record.sent.push(JSON.parse(data));
        send(data);
        wake();
      }) as WebSocket['send'];
    }

    override addEventListener(...[type, listener, ...rest]: Parameters<WebSocket['addEventListener']>): void {
      if (type !== 'message' || !options.messagePerTask) return super.addEventListener(type, listener, ...rest);
      const perTask = ((event: MessageEvent) => {
        setImmediate(() => (listener as (event: MessageEvent) => void)(event));
      }) as typeof listener;
      super.addEventListener(type, perTask, ...rest);
    }
  }

  /** Waits until `condition` holds, re-checking on every frame recorded. */
  function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      const check = () => {
        if (!condition()) return void waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      waiters.push(check);
    });
  }

  return { WebSocket: RecordingWebSocket, sockets, until };
}

/** Resolves with the next payload of `name` that passes `accept`, or fails after `timeoutMs`. */
export function nextEvent<Name extends keyof NotificationClientEvents>(
  client: NotificationClient,
  name: Name,
  accept: (payload: NotificationClientEvents[Name]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<NotificationClientEvents[Name]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${String(name)}" within ${timeoutMs} ms`)), timeoutMs);
    const off = client.on(name, (payload) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** A promise the test settles by hand: a notification handler that is still busy. */
export function gate(): { promise: Promise<void>; open: () => void; fail: (error: Error) => void } {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

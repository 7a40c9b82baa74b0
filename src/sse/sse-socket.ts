import { EventEmitter } from 'node:events';
import { ServerResponse } from 'node:http';
import { SessionSocket } from '../sessions/session-socket';

/** Comment lines keep proxies and load balancers from timing out a quiet stream. */
export const SSE_HEARTBEAT_MS = 25_000;

// The WebSocket readyState numbers, which Session reads.
const OPEN = 1;
const CLOSED = 3;

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // nginx buffers responses unless told not to; a buffered stream delivers nothing live.
  'x-accel-buffering': 'no',
};

/**
 * A Server-Sent Events response as a SessionSocket, so that Session, SessionReplay and the
 * gateway's delivery serve it exactly as they serve a WebSocket. Each frame becomes an
 * `event:` block; a notification's `id:` is its cursor, which EventSource sends back as
 * Last-Event-ID when it reconnects. Closing writes `event: close` with the code and reason
 * (EventSource has no close codes), then ends the response.
 */
export class SseSocket implements SessionSocket {
  private state = OPEN;
  private readonly events = new EventEmitter();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly response: ServerResponse,
    heartbeatMs = SSE_HEARTBEAT_MS,
  ) {
    response.writeHead(200, HEADERS);
    // Sends the headers now: EventSource reports `open` on them, before the first event.
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    // 'close' follows both our end() and the client going away.
    response.once('close', () => this.ended());
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  get readyState(): number {
    return this.state;
  }

  get bufferedAmount(): number {
    return this.response.writableLength;
  }

  send(frame: string, sent?: (error?: Error) => void): void {
    if (this.state === OPEN) this.write(toServerSentEvent(frame), sent);
    else sent?.();
  }

  terminate(): void {
    this.response.destroy();
    this.ended();
  }

  close(code: number, reason: string): void {
    if (this.state !== OPEN) return;
    this.write(`event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`);
    this.response.end();
    this.ended();
  }

  once(event: 'close', listener: () => void): this {
    this.events.once(event, listener);
    return this;
  }

  private write(chunk: string, written?: (error?: Error) => void): void {
    if (!this.response.writableEnded && !this.response.destroyed) this.response.write(chunk, (error) => written?.(error ?? undefined));
    else written?.();
  }

  private ended(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    clearInterval(this.heartbeat);
    this.events.emit('close');
  }
}

/**
 * Turns a WebSocket frame `{"event","data"}` into one Server-Sent Event. JSON never holds a
 * raw line break, so the data fits on one `data:` line. Parsing each frame again costs more
 * than the WebSocket's pre-serialized fan-out, which is fine for a fallback transport.
 */
export function toServerSentEvent(frame: string): string {
  const { event, data } = JSON.parse(frame) as { event: string; data: { cursor?: unknown } };
  const id = event === 'notification' && typeof data.cursor === 'string' ? `id: ${data.cursor}\n` : '';
  return `event: ${event}\n${id}data: ${JSON.stringify(data)}\n\n`;
}

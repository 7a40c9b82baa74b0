import { WebSocket } from 'ws';

/**
 * Pings every open socket each interval and terminates those that have not answered (pong or
 * any frame) for more than one and a half intervals: a peer silent for two intervals is gone.
 * Terminating fires `close`, so the session leaves the registry and presence follows.
 */
export class Heartbeat {
  private readonly lastHeard = new WeakMap<WebSocket, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly sockets: () => Iterable<WebSocket>,
  ) {}

  /** Starts watching a socket. */
  track(socket: WebSocket): void {
    const heard = () => this.lastHeard.set(socket, Date.now());
    heard();
    socket.on('pong', heard);
    socket.on('message', heard);
  }

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private beat(): void {
    const deadline = Date.now() - this.intervalMs * 1.5;
    for (const socket of this.sockets()) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      const heard = this.lastHeard.get(socket);
      if (heard !== undefined && heard < deadline) socket.terminate();
      else socket.ping();
    }
  }
}

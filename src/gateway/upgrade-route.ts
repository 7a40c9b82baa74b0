import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

function pathnameOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? (url ?? '') : url!.slice(0, query);
}

/**
 * Claims the WebSocket upgrades of one path on the host's HTTP server, whatever serves the
 * host's own gateways. A Socket.IO server takes only its own path; Nest's WsAdapter destroys
 * every upgrade whose path it does not know, in the same turn, so an ordinary `upgrade`
 * listener would lose the race: the upgrade of our path is taken before any listener runs,
 * and every other upgrade reaches the host's listeners untouched. With no other listener, an
 * upgrade of another path is answered 404 (without a listener, Node would serve it as a plain
 * request).
 */
export class UpgradeRoute {
  private originalEmit: Server['emit'] | undefined;

  constructor(
    private readonly server: Server,
    readonly path: string,
    private readonly handle: UpgradeHandler,
  ) {}

  attach(): void {
    if (this.originalEmit) return;
    const originalEmit = (this.originalEmit = this.server.emit);
    const { path, handle } = this;
    this.server.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'upgrade' && pathnameOf((args[0] as IncomingMessage).url) === path) {
        handle(args[0] as IncomingMessage, args[1] as Duplex, args[2] as Buffer);
        return true;
      }
      return originalEmit.apply(this, [event, ...args] as Parameters<Server['emit']>);
    } as Server['emit'];
    this.server.on('upgrade', this.refuseUnclaimed);
  }

  detach(): void {
    if (!this.originalEmit) return;
    this.server.emit = this.originalEmit;
    this.originalEmit = undefined;
    this.server.off('upgrade', this.refuseUnclaimed);
  }

  private readonly refuseUnclaimed = (_request: IncomingMessage, socket: Duplex): void => {
    if (this.server.listenerCount('upgrade') > 1) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  };
}

import type { Duplex } from 'node:stream';
import { SessionSocket } from './session-socket';

const corked = new WeakSet<Duplex>();

/**
 * Holds the frames written to a WebSocket during this turn of the event loop and hands them
 * to the kernel together when the turn ends: a notification and the `unread` count that
 * follows it (and everything else a group commit delivers to that socket) cost one write
 * system call instead of one each. Reaches for `ws`'s TCP socket (`_socket`, which `ws` has
 * kept for years); on anything else (a Server-Sent Events stream) it does nothing.
 */
export function coalesceFramesThisTurn(socket: SessionSocket): void {
  const tcp = (socket as { _socket?: Duplex })._socket;
  if (!tcp || typeof tcp.cork !== 'function' || corked.has(tcp)) return;
  corked.add(tcp);
  tcp.cork();
  process.nextTick(() => {
    corked.delete(tcp);
    tcp.uncork();
  });
}

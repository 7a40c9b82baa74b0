import type { Duplex } from 'node:stream';
import { SessionSocket } from './session-socket';

/** The TCP sockets corked during this turn of the event loop. */
let corkedThisTurn: Duplex[] = [];

function uncorkAll(): void {
  const sockets = corkedThisTurn;
  corkedThisTurn = [];
  for (const tcp of sockets) tcp.uncork();
}

/**
 * Holds the frames written to a WebSocket during this turn of the event loop and hands them
 * to the kernel together when the turn ends: a notification and the `unread` count that
 * follows it (and everything else a group commit delivers to that socket) cost one write
 * system call instead of one each. One callback per turn uncorks every socket a fan-out
 * touched (one per socket was a tenth of a fan-out's delivery time). Reaches for `ws`'s TCP
 * socket (`_socket`, which `ws` has kept for years); on anything else (a Server-Sent Events
 * stream) it does nothing, and a socket someone else holds corked is left to them.
 */
export function coalesceFramesThisTurn(socket: SessionSocket): void {
  const tcp = tcpOf(socket);
  if (!tcp || tcp.writableCorked > 0) return;
  tcp.cork();
  if (corkedThisTurn.push(tcp) === 1) process.nextTick(uncorkAll);
}

/**
 * Runs `write` with the socket corked and hands what it wrote to the kernel when it returns,
 * in one write system call: a recipient's notification and its `unread` frame go out at once
 * instead of waiting for the turn to end. A fan-out's frames held until the end of the turn
 * reached the client in one burst after the last recipient was served, and stayed alive
 * through the young-generation collections of the delivery loop. A socket already corked for
 * this turn stays corked (its frames join the turn's write); anything else is written as is.
 */
export function writeTogether(socket: SessionSocket, write: () => void): void {
  const tcp = tcpOf(socket);
  if (!tcp) return write();
  tcp.cork();
  try {
    write();
  } finally {
    tcp.uncork();
  }
}

function tcpOf(socket: SessionSocket): Duplex | undefined {
  const tcp = (socket as { _socket?: Duplex })._socket;
  return tcp && typeof tcp.cork === 'function' ? tcp : undefined;
}

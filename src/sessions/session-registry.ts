import { Injectable } from '@nestjs/common';
import { Session, SessionTransport } from './session';
import { SessionSocket } from './session-socket';

/** This node's open sessions (WebSocket, Server-Sent Events, waiting long polls), by user (many tabs, many devices) and by socket. */
@Injectable()
export class SessionRegistry {
  private readonly sessionsByUser = new Map<string, Set<Session>>();
  private readonly sessionsBySocket = new WeakMap<SessionSocket, Session>();
  private count = 0;
  private readonly countByTransport: Record<SessionTransport, number> = { websocket: 0, sse: 0, poll: 0 };

  add(session: Session): void {
    let sessions = this.sessionsByUser.get(session.userId);
    if (!sessions) this.sessionsByUser.set(session.userId, (sessions = new Set()));
    sessions.add(session);
    this.sessionsBySocket.set(session.socket, session);
    this.count++;
    this.countByTransport[session.transport]++;
  }

  /** Removes the session; false if it was already gone (close after error, say). */
  remove(session: Session): boolean {
    const sessions = this.sessionsByUser.get(session.userId);
    if (!sessions?.delete(session)) return false;
    if (sessions.size === 0) this.sessionsByUser.delete(session.userId);
    this.sessionsBySocket.delete(session.socket);
    this.count--;
    this.countByTransport[session.transport]--;
    return true;
  }

  bySocket(socket: SessionSocket): Session | undefined {
    return this.sessionsBySocket.get(socket);
  }

  /** The user's sessions on this node (undefined when none). */
  ofUser(userId: string): ReadonlySet<Session> | undefined {
    return this.sessionsByUser.get(userId);
  }

  /** The users with a session on this node. */
  userIds(): string[] {
    return [...this.sessionsByUser.keys()];
  }

  all(): Session[] {
    return [...this.sessionsByUser.values()].flatMap((sessions) => [...sessions]);
  }

  get size(): number {
    return this.count;
  }

  /** Open sessions of one transport on this node. */
  sizeOf(transport: SessionTransport): number {
    return this.countByTransport[transport];
  }

  get userCount(): number {
    return this.sessionsByUser.size;
  }
}

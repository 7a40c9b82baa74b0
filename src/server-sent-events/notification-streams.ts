import { Injectable } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Principal } from '../auth/principal';
import { CloseCode } from '../gateway/close-code';
import { Session } from '../gateway/session';
import { SessionRegistry } from '../gateway/session-registry';
import { SessionReplay } from '../gateway/session-replay';
import { SseSocket } from './sse-socket';

/**
 * Opens Server-Sent Events sessions. They join the same SessionRegistry as WebSocket
 * sessions, replay through SessionReplay and receive the gateway's deliveries: one delivery
 * path, two wire formats. They count for presence and against the cap through the slot that
 * SessionCapGuard reserved for the response.
 */
@Injectable()
export class NotificationStreams {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly sessionReplay: SessionReplay,
  ) {}

  /** Starts streaming to `response`: `ready`, the backlog (after `resumeAfter` if given), then live events. */
  open(principal: Principal, resumeAfter: string | undefined, response: ServerResponse): Session {
    const socket = new SseSocket(response);
    const session = new Session(socket, principal, resumeAfter, 'sse');
    this.registry.add(session);
    socket.once('close', () => {
      session.clearExpiry();
      this.registry.remove(session);
    });
    session.armExpiry(() => session.close(CloseCode.TokenExpired, 'token expired'));
    this.sessionReplay.start(session);
    return session;
  }
}

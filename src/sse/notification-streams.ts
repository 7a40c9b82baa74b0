import { Injectable } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Principal } from '../auth/principal';
import { Session } from '../sessions/session';
import { SessionLifecycle } from '../sessions/session-lifecycle';
import { SseSocket } from './sse-socket';

/**
 * Opens Server-Sent Events sessions. SessionLifecycle opens them as it opens WebSocket
 * sessions (same registry, presence, replay and expiry) and LiveDelivery writes to both:
 * one delivery path, two wire formats.
 */
@Injectable()
export class NotificationStreams {
  constructor(private readonly lifecycle: SessionLifecycle) {}

  /** Starts streaming to `response`: `ready`, the backlog (after `resumeAfter` if given), then live events. */
  open(principal: Principal, resumeAfter: string | undefined, response: ServerResponse): Session {
    const socket = new SseSocket(response);
    const session = this.lifecycle.open({ socket, principal, resumeAfter, transport: 'sse' });
    socket.once('close', () => this.lifecycle.closed(session));
    return session;
  }
}

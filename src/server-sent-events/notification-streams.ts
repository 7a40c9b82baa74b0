import { Inject, Injectable } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Principal } from '../auth/principal';
import { CloseCode } from '../gateway/close-code';
import { Session } from '../gateway/session';
import { SessionRegistry } from '../gateway/session-registry';
import { SessionReplay } from '../gateway/session-replay';
import { DeliveryBus } from '../notifications/delivery-bus';
import { SseSocket } from './sse-socket';

/**
 * Opens Server-Sent Events sessions. They join the same SessionRegistry as WebSocket
 * sessions, count for presence, replay through SessionReplay and receive the gateway's
 * deliveries: one delivery path, two wire formats.
 */
@Injectable()
export class NotificationStreams {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly sessionReplay: SessionReplay,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
  ) {}

  /** Starts streaming to `response`: `ready`, the backlog (after `resumeAfter` if given), then live events. */
  open(principal: Principal, resumeAfter: string | undefined, response: ServerResponse): Session {
    const socket = new SseSocket(response);
    const session = new Session(socket, principal, resumeAfter, 'sse');
    this.registry.add(session);
    this.bus.sessionOpened(session.userId);
    socket.once('close', () => {
      session.clearExpiry();
      if (this.registry.remove(session)) this.bus.sessionClosed(session.userId);
    });
    session.armExpiry(() => session.close(CloseCode.TokenExpired, 'token expired'));
    this.sessionReplay.start(session);
    return session;
  }
}

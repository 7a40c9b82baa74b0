import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { RevocationService } from '../auth/revocation.service';
import { CloseCode } from '../protocol/close-code';
import { Session, SessionTransport } from './session';
import { SessionRegistry } from './session-registry';
import { SessionReplay } from './session-replay';
import { SessionSocket } from './session-socket';

/** How long shutdown waits for clients to see the 1001 close. */
const SHUTDOWN_GRACE_MS = 1000;

/** What a transport tells the lifecycle about a session it opens. */
export interface OpenSession {
  socket: SessionSocket;
  principal: Principal;
  /** The cursor the client resumed from: replay after it instead of everything unacknowledged. */
  resumeAfter: string | undefined;
  transport: SessionTransport;
  /** Bytes the socket may hold unsent before the session is dropped (unlimited when absent). */
  maxBufferedBytes?: number;
}

/**
 * Opening and closing sessions, the same for every transport: the user → sessions map,
 * the token's expiry (4401), a revocation that raced the handshake
 * (4403), the backlog replay, and the 1001 close of every session at shutdown.
 */
@Injectable()
export class SessionLifecycle implements OnModuleDestroy {
  private readonly logger = new Logger('SessionLifecycle');

  constructor(
    private readonly registry: SessionRegistry,
    private readonly replay: SessionReplay,
    private readonly revocations: RevocationService,
  ) {}

  /** Registers the session and starts its replay; the transport calls `closed` when its socket closes. */
  open({ socket, principal, resumeAfter, transport, maxBufferedBytes }: OpenSession): Session {
    const session = new Session(socket, principal, resumeAfter, transport);
    if (maxBufferedBytes !== undefined) {
      session.maxBufferedBytes = maxBufferedBytes;
      session.onSlowConsumer = () => this.logger.warn(`Dropped a session of user ${session.userId}: over ${maxBufferedBytes} bytes unread`);
    }
    // Presence counts it already: the transport reserved its slot (SessionCap) before opening.
    this.registry.add(session);
    // A revocation may have landed between the handshake and now.
    if (this.revocations.isKnownRevoked(principal)) {
      session.close(CloseCode.AccessRevoked, 'access revoked');
      return session;
    }
    session.armExpiry(() => session.close(CloseCode.TokenExpired, 'token expired'));
    this.replay.start(session);
    return session;
  }

  closed(session: Session): void {
    session.clearExpiry();
    this.registry.remove(session);
  }

  /** Closes every session with 1001 and gives clients a moment to see it. */
  async onModuleDestroy(): Promise<void> {
    const sessions = this.registry.all();
    const closed = sessions.map(
      (session) => new Promise<void>((resolve) => (session.isOpen ? session.socket.once('close', () => resolve()) : resolve())),
    );
    for (const session of sessions) session.close(CloseCode.GoingAway, 'server shutting down');
    await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  }
}

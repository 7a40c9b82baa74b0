import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { InvalidTokenException } from '../auth/invalid-token.exception';
import { ownUserId } from '../auth/principal';
import { RevocationService } from '../auth/revocation.service';
import { TokenVerifier } from '../auth/token-verifier';
import { ResolvedOptions } from '../config/resolved-options';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { NotificationsService } from '../notifications/notifications.service';
import { CloseCode } from '../protocol/close-code';
import { encodeFrame, FrameErrorCode } from '../protocol/ws-events';
import { FrameRateLimiter } from '../rate-limit/frame-rate-limiter';
import { UserIdBudget } from '../rate-limit/user-id-budget';
import { Session } from '../sessions/session';
import { SessionLifecycle } from '../sessions/session-lifecycle';
import { SessionRegistry } from '../sessions/session-registry';
import { ClientFrame, isFrameError, parseClientFrame } from './client-frame';
import { AcceptedHandshake, Handshake, isRefused } from './handshake';
import { Heartbeat } from './heartbeat';
import { OriginAllowlist } from './origin-allowlist';
import { UpgradeRoute } from './upgrade-route';
import { SessionCap, SessionSlot } from '../sessions/session-cap';

const PONG = encodeFrame('pong', {});
const HANDSHAKE = Symbol('notificationsHandshake');

type Handlers = { [E in ClientFrame['event']]: (session: Session, data: Extract<ClientFrame, { event: E }>['data']) => unknown };
type Accept = (ok: boolean, status?: number, message?: string) => void;

/**
 * The WebSocket transport: authenticates the upgrade on the host's HTTP server (before any
 * `101`), reads client frames, and swaps a session's token on `refresh`. Sessions are opened
 * and closed by SessionLifecycle and written to by LiveDelivery, as for every transport.
 *
 * It owns its `ws` server and claims its path on the host's HTTP server itself, so it works
 * beside whatever WebSocket adapter the host's own gateways use (Socket.IO included).
 */
@Injectable()
export class NotificationsGateway implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('NotificationsGateway');
  private readonly handshake: Handshake;
  private readonly heartbeat: Heartbeat;
  private readonly server: WebSocketServer;
  private readonly idBudget: UserIdBudget;
  private route: UpgradeRoute | undefined;
  private shuttingDown = false;

  private readonly handlers: Handlers = {
    // The service takes the user as their tenant names them, with the tenant, as from host code.
    ack: ({ principal }, { ids }) => this.notifications.acknowledge(ownUserId(principal), ids, { tenantId: principal.tenantId }),
    read: ({ principal }, { ids }) => this.notifications.markRead(ownUserId(principal), ids, { tenantId: principal.tenantId }),
    // As `read` does, ids the user does not have are passed over.
    seen: ({ principal }, { ids }) => this.notifications.markSeen(ownUserId(principal), ids, { tenantId: principal.tenantId }),
    // In turn with the rest: a pong follows the replay, so "pong received" means "caught up".
    ping: (session) => session.sendOther(PONG),
    refresh: (session, { token }) => this.refresh(session, token),
  };

  constructor(
    private readonly options: ResolvedOptions,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    private readonly notifications: NotificationsService,
    private readonly registry: SessionRegistry,
    private readonly lifecycle: SessionLifecycle,
    private readonly revocations: RevocationService,
    private readonly httpAdapterHost: HttpAdapterHost,
    sessionCap: SessionCap,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {
    const { allowedOrigins, maxPayloadBytes, heartbeatMs, maxIdsPerUserPerSecond } = options.websocket;
    this.idBudget = new UserIdBudget(maxIdsPerUserPerSecond);
    this.handshake = new Handshake(verifier, { origins: new OriginAllowlist(allowedOrigins), sessionCap }, revocations);
    this.heartbeat = new Heartbeat(heartbeatMs, () =>
      this.registry.all().flatMap(({ socket }) => (socket instanceof WebSocket ? [socket] : [])),
    );
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: maxPayloadBytes,
      perMessageDeflate: false,
      // Runs inside handleUpgrade, after ws has checked the WebSocket headers (400 when bad).
      verifyClient: (info: { req: IncomingMessage }, accept: Accept) => this.verifyUpgrade(info.req, accept),
    });
  }

  onApplicationBootstrap(): void {
    const httpServer = this.httpAdapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!httpServer) {
      // An application context (a worker that only sends): no HTTP server, so no WebSocket here.
      this.logger.log('No HTTP server in this application: the WebSocket endpoint is not served by this process');
      return;
    }
    this.route = new UpgradeRoute(httpServer, this.options.websocket.path, (request, socket, head) => this.upgrade(request, socket, head));
    this.route.attach();
    this.heartbeat.start();
  }

  /** Refuses new upgrades (503) while SessionLifecycle closes the open sessions with 1001. */
  onModuleDestroy(): void {
    this.shuttingDown = true;
    this.heartbeat.stop();
  }

  onApplicationShutdown(): void {
    this.route?.detach();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (webSocket) => this.connected(webSocket, request));
  }

  private connected(socket: WebSocket, request: IncomingMessage): void {
    const { principal, resumeAfter } = (request as IncomingMessage & { [HANDSHAKE]: AcceptedHandshake })[HANDSHAKE];
    const { maxBufferedBytes, maxFramesPerSecond } = this.options.websocket;
    const session = this.lifecycle.open({ socket, principal, resumeAfter, transport: 'websocket', maxBufferedBytes });
    socket.once('close', () => {
      this.lifecycle.closed(session);
      if (!this.registry.ofUser(session.userId)) this.idBudget.forget(session.userId);
    });
    // A frame over the size limit or with invalid UTF-8: ws closes the socket with 1009 or 1007
    // itself, then reports it here; there is nothing else to do, and unheard it would crash.
    socket.on('error', (error) => this.logger.debug(`Session of user ${session.userId} closed by the protocol: ${error.message}`));
    if (!session.isOpen) return;
    this.heartbeat.track(socket);
    this.explainFrameTooBig(socket);
    const frameRate = new FrameRateLimiter(maxFramesPerSecond);
    socket.on('message', (data, isBinary) => {
      // Closed for a limit: frames that were already on their way are not handled.
      if (!session.isOpen) return;
      if (frameRate.allow()) this.onFrame(session, data as Buffer, isBinary);
      else session.close(CloseCode.PolicyViolation, 'too many frames');
    });
  }

  /**
   * ws closes a frame over maxPayloadBytes with a bare 1009, from its own receiver. The frame a
   * client grows without noticing is a long ack or read: the reason says how many ids fit, so
   * that a client acking 1,000 at once learns why instead of replaying its backlog forever.
   */
  private explainFrameTooBig(socket: WebSocket): void {
    const { maxPayloadBytes, maxIdsPerFrame } = this.options.websocket;
    const reason = `frame over ${maxPayloadBytes} bytes: ack, read or seen at most ${maxIdsPerFrame} ids per frame`;
    const close = socket.close.bind(socket);
    socket.close = (code?: number, data?: string | Buffer) =>
      close(code, code === CloseCode.MessageTooBig && data === undefined ? reason : data);
  }

  private verifyUpgrade(request: IncomingMessage, accept: Accept): void {
    // Sessions are being closed with 1001: a new one would only be cut again.
    if (this.shuttingDown) {
      this.metrics?.handshakeRefused(503);
      return accept(false, 503, 'Server is shutting down; connect to another node');
    }
    this.handshake.check(request).then(
      (outcome) => {
        if (isRefused(outcome)) {
          this.metrics?.handshakeRefused(outcome.status);
          return accept(false, outcome.status, outcome.message);
        }
        this.metrics?.handshakeAccepted();
        // The slot lives as long as the connection, whatever happens to it from here: ws may
        // still drop it (the client left during the checks), or it becomes a session.
        releaseOnClose(request.socket, outcome.slot);
        (request as IncomingMessage & { [HANDSHAKE]?: AcceptedHandshake })[HANDSHAKE] = outcome;
        accept(true);
      },
      (error) => {
        this.logger.error(`Handshake check failed: ${error}`);
        this.metrics?.handshakeRefused(500);
        accept(false, 500, 'Internal Server Error');
      },
    );
  }

  private onFrame(session: Session, data: Buffer, isBinary: boolean): void {
    const frame = parseClientFrame(data, isBinary, this.options.websocket.maxIdsPerFrame);
    if (isFrameError(frame)) {
      session.send(encodeFrame('error', frame));
      return;
    }
    // Work one user makes, whatever the number of their sessions; and what one session queues.
    const { maxIdsPerUserPerSecond, maxPendingFrames } = this.options.websocket;
    if (
      (frame.event === 'ack' || frame.event === 'read' || frame.event === 'seen') &&
      !this.idBudget.take(session.userId, frame.data.ids.length)
    ) {
      return session.close(CloseCode.PolicyViolation, `too many ids: over ${maxIdsPerUserPerSecond} a second for this user`);
    }
    if (session.pendingFrames >= maxPendingFrames) {
      return session.close(CloseCode.PolicyViolation, `too many frames waiting: over ${maxPendingFrames} not yet handled`);
    }
    const handler = this.handlers[frame.event] as (session: Session, data: unknown) => unknown;
    session
      .inTurn(() => handler(session, frame.data))
      .catch((error) => {
        this.logger.error(`Handling "${frame.event}" for user ${session.userId} failed: ${error}`);
        session.send(encodeFrame('error', { code: FrameErrorCode.Internal, message: `Could not handle ${frame.event}; retry` }));
      });
  }

  /** Replaces the session's token with a fresh one for the same user, pushing its expiry out. */
  private async refresh(session: Session, token: string): Promise<void> {
    let principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenException)) throw error;
      session.close(CloseCode.TokenExpired, 'refresh token invalid');
      return;
    }
    if (principal.userId !== session.userId) {
      session.close(CloseCode.PolicyViolation, 'refresh token is for another user');
      return;
    }
    if (await this.revocations.isRevoked(principal)) {
      session.close(CloseCode.AccessRevoked, 'access revoked');
      return;
    }
    if (!session.isOpen) return;
    session.principal = principal;
    session.armExpiry(() => session.close(CloseCode.TokenExpired, 'token expired'));
  }
}

/** Releases `slot` when `connection` closes, or now if it already has. */
function releaseOnClose(connection: Duplex, slot: SessionSlot): void {
  if (connection.destroyed) slot.release();
  else connection.once('close', () => slot.release());
}

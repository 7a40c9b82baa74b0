import { Inject, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { normalizePath } from '@nestjs/common/utils/shared.utils';
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { InvalidTokenException } from '../auth/invalid-token.exception';
import { RevocationService } from '../auth/revocation.service';
import { TokenVerifier } from '../auth/token-verifier';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { DeliveryBus, DeliveryMessage, RevokeDelivery } from '../notifications/delivery-bus';
import { NotificationsService } from '../notifications/notifications.service';
import { NOTIFICATIONS_MODULE_OPTIONS } from '../notifications.module-definition';
import { DEFAULT_WS_PATH, NotificationsModuleOptions } from '../notifications.options';
import { ClientFrame, isFrameError, parseClientFrame } from './client-frame';
import { CloseCode } from './close-code';
import { FrameRateLimiter } from './frame-rate-limiter';
import { AcceptedHandshake, Handshake, isRefused } from './handshake';
import { Heartbeat } from './heartbeat';
import { OriginAllowlist } from './origin-allowlist';
import { Session } from './session';
import { SessionCap, SessionSlot } from './session-cap';
import { SessionSocket } from './session-socket';
import { SessionRegistry } from './session-registry';
import { SessionRevocationCheck } from './session-revocation-check';
import { resolveWebSocketLimits, WebSocketLimits } from './websocket-limits';
import { SessionReplay } from './session-replay';
import { encodeFrame, FrameErrorCode, NotificationFrameTemplate } from './ws-events';

/** How long shutdown waits for clients to answer the 1001 close. */
const SHUTDOWN_GRACE_MS = 1000;
const HANDSHAKE = Symbol('notificationsHandshake');
const PONG = encodeFrame('pong', {});

type Handlers = { [E in ClientFrame['event']]: (session: Session, data: Extract<ClientFrame, { event: E }>['data']) => unknown };

/**
 * The WebSocket transport: authenticates the upgrade, keeps the user → sessions map,
 * replays each session's backlog and writes frames. Rules live in NotificationsService.
 */
@WebSocketGateway({ path: DEFAULT_WS_PATH })
export class NotificationsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('NotificationsGateway');
  private readonly handshake: Handshake;
  private readonly limits: WebSocketLimits;
  private readonly heartbeat: Heartbeat;
  private shuttingDown = false;

  private readonly handlers: Handlers = {
    ack: (session, { ids }) => this.notifications.acknowledge(session.userId, ids),
    read: (session, { ids }) => this.notifications.markRead(session.userId, ids),
    // In turn with the rest: a pong follows the replay, so "pong received" means "caught up".
    ping: (session) => session.sendOther(PONG),
    refresh: (session, { token }) => this.refresh(session, token),
  };

  constructor(
    @Inject(NOTIFICATIONS_MODULE_OPTIONS) private readonly options: NotificationsModuleOptions,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly notifications: NotificationsService,
    private readonly registry: SessionRegistry,
    private readonly revocations: RevocationService,
    private readonly sessionReplay: SessionReplay,
    sessionCap: SessionCap,
    private readonly revocationCheck: SessionRevocationCheck,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {
    this.limits = resolveWebSocketLimits(options.websocket);
    this.handshake = new Handshake(verifier, { origins: new OriginAllowlist(this.limits.allowedOrigins), sessionCap }, revocations);
    this.heartbeat = new Heartbeat(this.limits.heartbeatMs, () =>
      this.registry.all().flatMap(({ socket }) => (isWebSocket(socket) ? [socket] : [])),
    );
  }

  afterInit(server: WebSocketServer): void {
    // The decorator's options are static; the module's are known only now. WsAdapter reads
    // `path` on every upgrade, and ws reads `verifyClient` and `maxPayload` on every upgrade.
    (server as WebSocketServer & { path: string }).path = normalizePath(this.options.websocket?.path ?? DEFAULT_WS_PATH);
    server.options.maxPayload = this.limits.maxPayloadBytes;
    // Authentication runs on the HTTP upgrade, before any 101 (Nest guards do not run there).
    server.options.verifyClient = (info: { req: IncomingMessage }, accept: (ok: boolean, status?: number, message?: string) => void) =>
      this.verifyUpgrade(info.req, accept);
    this.bus.subscribe((message) => this.deliver(message));
    this.heartbeat.start();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const handshake = (request as IncomingMessage & { [HANDSHAKE]?: AcceptedHandshake })[HANDSHAKE];
    if (!handshake) {
      // Only reachable if another adapter bypassed verifyClient: never serve an unverified socket.
      socket.close(CloseCode.PolicyViolation, 'unauthenticated');
      return;
    }
    // Presence counts the session from its slot, taken by the handshake.
    const session = new Session(socket, handshake.principal, handshake.resumeAfter);
    this.registry.add(session);
    this.protect(session, socket);
    // A revocation may have landed between the handshake and now.
    if (this.revocations.isKnownRevoked(session.principal)) {
      session.close(CloseCode.AccessRevoked, 'access revoked');
      return;
    }
    const frameRate = new FrameRateLimiter(this.limits.maxFramesPerSecond);
    socket.on('message', (data, isBinary) => {
      if (frameRate.allow()) this.onFrame(session, data as Buffer, isBinary);
      else session.close(CloseCode.PolicyViolation, 'too many frames');
    });
    session.armExpiry(() => session.close(CloseCode.TokenExpired, 'token expired'));
    this.sessionReplay.start(session);
  }

  handleDisconnect(socket: WebSocket): void {
    const session = this.registry.bySocket(socket);
    if (!session) return;
    session.clearExpiry();
    // Its slot is released with the connection (verifyUpgrade).
    this.registry.remove(session);
  }

  /** Closes every session with 1001 and gives clients a moment to see it. */
  async onModuleDestroy(): Promise<void> {
    this.shuttingDown = true;
    this.heartbeat.stop();
    const sessions = this.registry.all();
    const closed = sessions.map(
      (session) => new Promise<void>((resolve) => (session.isOpen ? session.socket.once('close', () => resolve()) : resolve())),
    );
    for (const session of sessions) session.close(CloseCode.GoingAway, 'server shutting down');
    await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  }

  private verifyUpgrade(request: IncomingMessage, accept: (ok: boolean, status?: number, message?: string) => void) {
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

  /** Per-session protections: the slow-consumer cap and the heartbeat. */
  private protect(session: Session, socket: WebSocket): void {
    session.maxBufferedBytes = this.limits.maxBufferedBytes;
    session.onSlowConsumer = () =>
      this.logger.warn(`Dropped a session of user ${session.userId}: over ${this.limits.maxBufferedBytes} bytes unread`);
    this.heartbeat.track(socket);
  }

  /** Closes the user's sessions opened with tokens issued up to the revocation (4403). */
  private closeRevoked(message: RevokeDelivery): void {
    this.revocations.remember(message.userId, message.revokedBefore);
    this.revocationCheck.closeRevokedSessionsOf(message.userId);
  }

  private deliver(message: DeliveryMessage): void {
    if (message.kind === 'revoke') return this.closeRevoked(message);
    if (message.kind === 'resync') {
      for (const session of this.registry.all()) session.requestCatchUp();
      // Revoke messages may have been lost with the rest.
      void this.revocationCheck.recheckAll();
      return;
    }
    // BroadcastRelay puts a broadcast in local inboxes, which then arrive here as notifications.
    if (message.kind === 'broadcast') return;
    if (message.kind === 'unread') {
      const frame = encodeFrame('unread', { count: message.count });
      for (const session of this.registry.ofUser(message.userId) ?? []) session.sendOther(frame);
      return;
    }
    let template: NotificationFrameTemplate | undefined;
    // Recipients of a fan-out mostly share a handful of unread counts: one frame per count
    // (made once there is more than one recipient; a single send needs no cache).
    let unreadFrames: Map<number, string> | undefined;
    let reached = 0;
    for (const recipient of message.recipients) {
      const sessions = this.registry.ofUser(recipient.userId);
      if (!sessions) continue;
      reached++;
      template ??= new NotificationFrameTemplate(message.notification);
      const frame = template.forCursor(recipient.cursor);
      const cursor = Number(recipient.cursor);
      const previousCursor = recipient.previousCursor === undefined ? undefined : Number(recipient.previousCursor);
      const count = recipient.unreadCount;
      let unread: string | undefined;
      if (count !== undefined) {
        unread = unreadFrames?.get(count);
        if (unread === undefined) {
          unread = encodeFrame('unread', { count });
          if (message.recipients.length > 1) (unreadFrames ??= new Map()).set(count, unread);
        }
      }
      for (const session of sessions) {
        session.sendNotification(cursor, frame, previousCursor);
        if (unread) session.sendOther(unread);
      }
    }
    this.metrics?.notificationDelivered(reached, message.notification.createdAt);
  }

  private onFrame(session: Session, data: Buffer, isBinary: boolean): void {
    const frame = parseClientFrame(data, isBinary);
    if (isFrameError(frame)) {
      session.send(encodeFrame('error', frame));
      return;
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

/**
 * Whether a session's socket is a WebSocket (SSE streams keep themselves alive with comment
 * lines). Not `instanceof`: @nestjs/platform-ws creates sockets with its own copy of `ws`.
 */
function isWebSocket(socket: SessionSocket): socket is WebSocket {
  return typeof (socket as Partial<WebSocket>).ping === 'function';
}

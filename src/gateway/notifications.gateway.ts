import { Inject, Logger, OnModuleDestroy } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { normalizePath } from '@nestjs/common/utils/shared.utils';
import { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { InvalidTokenException } from '../auth/invalid-token.exception';
import { TokenVerifier } from '../auth/token-verifier';
import { DeliveryBus, DeliveryMessage } from '../notifications/delivery-bus';
import { NotificationsService } from '../notifications/notifications.service';
import { NOTIFICATIONS_MODULE_OPTIONS } from '../notifications.module-definition';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_WS_PATH, NotificationsModuleOptions } from '../notifications.options';
import { ClientFrame, isFrameError, parseClientFrame } from './client-frame';
import { CloseCode } from './close-code';
import { AcceptedHandshake, Handshake, isRefused } from './handshake';
import { Session } from './session';
import { SessionRegistry } from './session-registry';
import { SessionReplayer } from './session-replayer';
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
    private readonly replayer: SessionReplayer,
  ) {
    this.handshake = new Handshake(verifier);
  }

  afterInit(server: WebSocketServer): void {
    // The decorator's options are static; the module's are known only now. WsAdapter reads
    // `path` on every upgrade, and ws reads `verifyClient` and `maxPayload` on every upgrade.
    (server as WebSocketServer & { path: string }).path = normalizePath(this.options.websocket?.path ?? DEFAULT_WS_PATH);
    server.options.maxPayload = this.options.websocket?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    // Authentication runs on the HTTP upgrade, before any 101 (Nest guards do not run there).
    server.options.verifyClient = (info: { req: IncomingMessage }, accept: (ok: boolean, status?: number, message?: string) => void) =>
      this.verifyUpgrade(info.req, accept);
    this.bus.subscribe((message) => this.deliver(message));
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const handshake = (request as IncomingMessage & { [HANDSHAKE]?: AcceptedHandshake })[HANDSHAKE];
    if (!handshake) {
      // Only reachable if another adapter bypassed verifyClient: never serve an unverified socket.
      socket.close(CloseCode.PolicyViolation, 'unauthenticated');
      return;
    }
    const session = new Session(socket, handshake.principal, handshake.resumeAfter);
    this.registry.add(session);
    this.bus.sessionOpened(session.userId);
    socket.on('message', (data, isBinary) => this.onFrame(session, data as Buffer, isBinary));
    session.whenBehind(() => this.catchUp(session));
    session.armExpiry(() => session.close(CloseCode.TokenExpired, 'token expired'));
    this.replay(session).catch((error) => {
      this.logger.error(`Replay failed for a session of user ${session.userId}: ${error}`);
      session.close(CloseCode.InternalError, 'replay failed');
    });
  }

  handleDisconnect(socket: WebSocket): void {
    const session = this.registry.bySocket(socket);
    if (!session) return;
    session.clearExpiry();
    if (this.registry.remove(session)) this.bus.sessionClosed(session.userId);
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

  private verifyUpgrade(request: IncomingMessage, accept: (ok: boolean, status?: number, message?: string) => void) {
    let outcome;
    try {
      outcome = this.handshake.check(request);
    } catch (error) {
      this.logger.error(`Handshake check failed: ${error}`);
      return accept(false, 500, 'Internal Server Error');
    }
    if (isRefused(outcome)) return accept(false, outcome.status, outcome.message);
    (request as IncomingMessage & { [HANDSHAKE]?: AcceptedHandshake })[HANDSHAKE] = outcome;
    accept(true);
  }

  /** `ready`, then the backlog oldest first a page at a time, then live frames. */
  private async replay(session: Session): Promise<void> {
    const { userId } = session;
    const unreadCount = await this.notifications.unreadCount(userId);
    session.send(encodeFrame('ready', { sessionId: session.id, userId, unreadCount }));
    await this.replayer.replay(session, session.resumeAfter === undefined);
  }

  /** The session fell behind (a gap in live cursors, a bus outage): fill in from the database. */
  private catchUp(session: Session): void {
    this.replayer.replay(session, false).catch((error) => {
      this.logger.error(`Catch-up failed for a session of user ${session.userId}: ${error}`);
      session.close(CloseCode.InternalError, 'catch-up failed');
    });
  }

  private deliver(message: DeliveryMessage): void {
    if (message.kind === 'resync') {
      for (const session of this.registry.all()) session.requestCatchUp();
      return;
    }
    if (message.kind === 'unread') {
      const frame = encodeFrame('unread', { count: message.count });
      for (const session of this.registry.ofUser(message.userId) ?? []) session.sendOther(frame);
      return;
    }
    let template: NotificationFrameTemplate | undefined;
    for (const recipient of message.recipients) {
      const sessions = this.registry.ofUser(recipient.userId);
      if (!sessions) continue;
      template ??= new NotificationFrameTemplate(message.notification);
      const frame = template.forCursor(recipient.cursor);
      const cursor = Number(recipient.cursor);
      const previousCursor = recipient.previousCursor === undefined ? undefined : Number(recipient.previousCursor);
      const unread = recipient.unreadCount === undefined ? undefined : encodeFrame('unread', { count: recipient.unreadCount });
      for (const session of sessions) {
        session.sendNotification(cursor, frame, previousCursor);
        if (unread) session.sendOther(unread);
      }
    }
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
  private refresh(session: Session, token: string): void {
    let principal;
    try {
      principal = this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenException)) throw error;
      session.close(CloseCode.TokenExpired, 'refresh token invalid');
      return;
    }
    if (principal.userId !== session.userId) {
      session.close(CloseCode.PolicyViolation, 'refresh token is for another user');
      return;
    }
    session.principal = principal;
    session.armExpiry(() => session.close(CloseCode.TokenExpired, 'token expired'));
  }
}

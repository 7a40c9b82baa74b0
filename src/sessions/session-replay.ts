import { Injectable, Logger, Optional } from '@nestjs/common';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { NotificationsStore } from '../persistence/notifications.store';
import { NotificationsService } from '../notifications/notifications.service';
import { UnitOfWork } from '../persistence/unit-of-work';
import { CloseCode } from '../protocol/close-code';
import { Session } from './session';
import { encodeFrame } from '../protocol/ws-events';
import { ownUserId } from '../auth/principal';

/** Rows per backlog query when a session replays. */
const REPLAY_PAGE_SIZE = 500;

/**
 * Sends a session, whatever its transport (WebSocket or Server-Sent Events), what the
 * database has and the session has not: `ready` and its backlog when it opens, the missing
 * range when it falls behind (a gap in live cursors, a bus outage). Live frames are held
 * meanwhile and released, deduplicated by cursor, when it goes live.
 */
@Injectable()
export class SessionReplay {
  private readonly logger = new Logger('SessionReplay');
  private readonly store = new NotificationsStore();

  constructor(
    private readonly notifications: NotificationsService,
    private readonly unitOfWork: UnitOfWork,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {}

  /** `ready`, then the backlog, then live; in the background. A failure closes with 1011. */
  start(session: Session): void {
    session.whenBehind(() => this.inBackground(session, 'Catch-up', () => this.replay(session, false)));
    this.inBackground(session, 'Replay', async () => {
      // The user id as the token names it: a tenant's qualified key never leaves the module.
      const userId = ownUserId(session.principal);
      const opening = await this.notifications.opening(userId, { tenantId: session.principal.tenantId });
      const { unreadCount, unseenCount, latestCursor } = opening;
      session.send(encodeFrame('ready', { sessionId: session.id, userId, unreadCount, unseenCount }));
      await this.replay(session, session.resumeAfter === undefined, latestCursor);
    });
  }

  private inBackground(session: Session, what: string, work: () => Promise<void>): void {
    work().catch((error) => {
      this.logger.error(`${what} failed for a session of user ${session.userId}: ${error}`);
      session.close(CloseCode.InternalError, `${what.toLowerCase()} failed`);
    });
  }

  /**
   * The backlog after the session's cursor, oldest first, then live. A first connection
   * (no `after`) replays only unacknowledged notifications; a resume and every catch-up
   * replay everything after the cursor. `latestCursor`, read when the session opened, serves
   * the first page.
   */
  private async replay(session: Session, unacknowledgedOnly: boolean, latestCursor?: string): Promise<void> {
    let replayed = 0;
    for (;;) {
      // Read before the page: every row at or below it has committed, so the page holds all
      // of those this session should see, and a later live frame at or below it is not a gap.
      const covered = unacknowledgedOnly
        ? (latestCursor ?? (await this.unitOfWork.read((manager) => this.store.latestCursor(manager, session.userId))))
        : undefined;
      latestCursor = undefined;
      const page = await this.notifications.readBacklog(
        ownUserId(session.principal),
        { afterCursor: String(session.cursor), unacknowledgedOnly },
        REPLAY_PAGE_SIZE,
        { tenantId: session.principal.tenantId },
      );
      if (!session.isOpen) return;
      // Flow-controlled: a client that reads slowly slows its own replay, not the server's memory.
      for (const notification of page) {
        await session.sendReplayed(Number(notification.cursor), encodeFrame('notification', notification));
      }
      replayed += page.length;
      if (page.length === REPLAY_PAGE_SIZE) continue;
      if (covered !== undefined) session.coveredUpTo(Number(covered));
      // Asked to read again while this pass ran (the bus lost messages meanwhile).
      if (session.takeRereadRequest()) {
        unacknowledgedOnly = false;
        continue;
      }
      break;
    }
    this.metrics?.backlogFlushed(replayed);
    session.goLive();
  }
}

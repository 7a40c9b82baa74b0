import { Injectable, Logger, Optional } from '@nestjs/common';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { NotificationsService } from '../notifications/notifications.service';
import { CloseCode } from './close-code';
import { Session } from './session';
import { encodeFrame } from './ws-events';

/** Rows per backlog query when a session replays. */
const REPLAY_PAGE_SIZE = 500;

/**
 * Brings a newly opened session up to date, whatever its transport (WebSocket or
 * Server-Sent Events): `ready`, then the backlog oldest first a page at a time, then live.
 */
@Injectable()
export class SessionReplay {
  private readonly logger = new Logger('SessionReplay');

  constructor(
    private readonly notifications: NotificationsService,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {}

  /** Replays in the background; a failure closes the session with 1011 so the client retries. */
  start(session: Session): void {
    this.replay(session).catch((error) => {
      this.logger.error(`Replay failed for a session of user ${session.userId}: ${error}`);
      session.close(CloseCode.InternalError, 'replay failed');
    });
  }

  private async replay(session: Session): Promise<void> {
    const { userId } = session;
    const unreadCount = await this.notifications.unreadCount(userId);
    session.send(encodeFrame('ready', { sessionId: session.id, userId, unreadCount }));
    const unacknowledgedOnly = session.resumeAfter === undefined;
    let replayed = 0;
    for (;;) {
      const page = await this.notifications.readBacklog(
        userId,
        { afterCursor: String(session.cursor), unacknowledgedOnly },
        REPLAY_PAGE_SIZE,
      );
      if (!session.isOpen) return;
      // Flow-controlled: a client that reads slowly slows its own replay, not the server's memory.
      for (const notification of page) {
        await session.sendReplayed(Number(notification.cursor), encodeFrame('notification', notification));
      }
      replayed += page.length;
      if (page.length < REPLAY_PAGE_SIZE) break;
    }
    this.metrics?.backlogFlushed(replayed);
    session.goLive();
  }
}

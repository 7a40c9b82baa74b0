import { Injectable } from '@nestjs/common';
import { NotificationsStore } from '../notifications/notifications.store';
import { NotificationsService } from '../notifications/notifications.service';
import { UnitOfWork } from '../notifications/unit-of-work';
import { Session } from './session';
import { encodeFrame } from './ws-events';

/** Rows per backlog query when a session replays. */
const REPLAY_PAGE_SIZE = 500;

/**
 * Sends a session what the database has and the session has not: its backlog when it
 * opens, and the missing range when it falls behind (a gap in live cursors, a bus outage).
 * Live frames are held meanwhile and released, deduplicated by cursor, when it goes live.
 */
@Injectable()
export class SessionReplayer {
  private readonly store = new NotificationsStore();

  constructor(
    private readonly notifications: NotificationsService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * The backlog after the session's cursor, oldest first, then live. A first connection
   * (no `after`) replays only unacknowledged notifications; a resume and every catch-up
   * replay everything after the cursor.
   */
  async replay(session: Session, unacknowledgedOnly: boolean): Promise<void> {
    for (;;) {
      // Read before the page: every row at or below it has committed, so the page holds all
      // of those this session should see, and a later live frame at or below it is not a gap.
      const covered = unacknowledgedOnly
        ? await this.unitOfWork.read((manager) => this.store.latestCursor(manager, session.userId))
        : undefined;
      const page = await this.notifications.readBacklog(
        session.userId,
        { afterCursor: String(session.cursor), unacknowledgedOnly },
        REPLAY_PAGE_SIZE,
      );
      if (!session.isOpen) return;
      for (const notification of page) {
        session.sendReplayed(Number(notification.cursor), encodeFrame('notification', notification));
      }
      if (page.length === REPLAY_PAGE_SIZE) continue;
      if (covered !== undefined) session.coveredUpTo(Number(covered));
      // Asked to read again while this pass ran (the bus lost messages meanwhile).
      if (session.takeRereadRequest()) {
        unacknowledgedOnly = false;
        continue;
      }
      break;
    }
    session.goLive();
  }
}

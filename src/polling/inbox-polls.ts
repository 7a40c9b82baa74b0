import { HttpException, HttpStatus, Injectable, OnModuleDestroy, UnauthorizedException } from '@nestjs/common';
import { ownUserId, Principal } from '../auth/principal';
import { BroadcastInbox } from '../notifications/broadcast-inbox';
import { NotificationPage, NotificationsService } from '../notifications/notifications.service';
import { CloseCode } from '../protocol/close-code';
import { SessionCap } from '../sessions/session-cap';
import { SessionRegistry } from '../sessions/session-registry';
import { WaitingPoll } from './waiting-poll';

/** The longest `wait`, in seconds. */
export const MAX_POLL_WAIT_SECONDS = 30;
/** How a poll that ends by itself (its wait ran out, its client left) closes its session. */
const POLL_OVER = 1000;

/** `GET /notifications?after=…[&wait=…]`: which notifications, and how long to wait for one. */
export interface PollRequest {
  /** The cursor to list after (exclusive); '0' for the whole inbox. */
  after: string;
  limit: number;
  unreadOnly?: boolean;
  /** Long poll: wait up to this many seconds (1 to 30) for a notification when there is none yet. */
  waitSeconds?: number;
}

/**
 * Polling, for clients that hold neither a WebSocket nor an event stream. A short poll reads
 * the caller's notifications after a cursor, oldest first. A long poll that finds none waits
 * for one without asking the database again: it registers as a session of its user
 * (WaitingPoll) before its first read, so a notification that commits after that read
 * reaches it through LiveDelivery, from any node, and wakes it. While it waits it counts
 * against the per-user session cap (and for presence); it gives its slot back when it
 * answers, when its wait runs out and when its client leaves.
 */
@Injectable()
export class InboxPolls implements OnModuleDestroy {
  private closing = false;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly broadcasts: BroadcastInbox,
    private readonly registry: SessionRegistry,
    private readonly sessionCap: SessionCap,
  ) {}

  /**
   * The caller's notifications after `request.after`, oldest first; with `waitSeconds`, once
   * at least one is there or the wait is over. `nextCursor` is where to poll from next: the
   * last item's cursor, or `after` when there is none. `clientGone` ends the wait early.
   */
  async poll(principal: Principal, request: PollRequest, clientGone: AbortSignal): Promise<NotificationPage> {
    // Broadcasts released before this poll (its session sees those released while it waits).
    await this.broadcasts.catchUp(principal.userId);
    if (request.waitSeconds === undefined || this.closing) return this.read(principal, request);
    const slot = await this.sessionCap.reserve(principal.userId);
    if (!slot) throw new HttpException(this.sessionCap.refusal, HttpStatus.TOO_MANY_REQUESTS);
    const poll = new WaitingPoll(principal, request.after);
    // Registered before the first read: what commits after that read wakes it.
    this.registry.add(poll);
    const end = () => poll.close(POLL_OVER, 'poll over');
    // The wait ends when the token expires, too: the next poll gets its 401.
    const waitMs = Math.min(request.waitSeconds * 1000, principal.expiresAt - Date.now());
    const timer = setTimeout(end, Math.max(waitMs, 0));
    clientGone.addEventListener('abort', end);
    try {
      if (clientGone.aborted) end();
      for (;;) {
        const wakes = poll.wakeCount;
        const page = await this.read(principal, request);
        if (page.items.length > 0 || !poll.isOpen) return this.answer(poll, page);
        await poll.wokenSince(wakes);
      }
    } finally {
      clearTimeout(timer);
      clientGone.removeEventListener('abort', end);
      end();
      this.registry.remove(poll);
      slot.release();
    }
  }

  /** New long polls answer at once from now on (SessionLifecycle closes those waiting). */
  onModuleDestroy(): void {
    this.closing = true;
  }

  /** What a long poll answers; a revocation while it waited (which closes every session of its token) is a 401. */
  private answer(poll: WaitingPoll, page: NotificationPage): NotificationPage {
    if (poll.closeCode === CloseCode.AccessRevoked) throw new UnauthorizedException('Access revoked');
    return page;
  }

  private async read(principal: Principal, request: PollRequest): Promise<NotificationPage> {
    const position = { afterCursor: request.after, unreadOnly: request.unreadOnly };
    const tenant = { tenantId: principal.tenantId };
    const items = await this.notifications.readBacklog(ownUserId(principal), position, request.limit, tenant);
    return { items, nextCursor: items.length > 0 ? items[items.length - 1].cursor : request.after };
  }
}

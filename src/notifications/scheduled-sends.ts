import { InvalidNotificationException } from '../model/invalid-notification.exception';
import {
  parseScheduledCursor,
  SCHEDULED_CURSOR_RULE,
  ScheduledNotificationPage,
  ScheduledNotificationView,
  scheduledCursorOf,
} from '../model/scheduled-notification';
import { ScheduledSendsStore } from '../persistence/scheduled-sends.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { NotificationCancelledEvent, NotificationRescheduledEvent } from './notification-lifecycle.events';
import { NotificationLifecycle } from './notification-lifecycle';

/** What a page of held sends asks for. */
export interface ListScheduledOptions {
  /** 1 to 100; default 20. */
  limit?: number;
  /** A `nextCursor` of the page before: the page after it. */
  after?: string;
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/**
 * A sender's held sends (`deliverAt`): list, move, cancel. Each is for the sender who made
 * them only (`senderId` as the send was given it; null for host code that sent without one):
 * another sender's send is "not found", like one already released. A move or a cancel and the
 * release are conditional statements on the same row, so exactly one of them wins.
 */
export class ScheduledSends {
  private readonly store = new ScheduledSendsStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly lifecycle: NotificationLifecycle,
  ) {}

  /** One page of the sender's held sends, soonest `deliverAt` first (InvalidNotificationException for a bad limit or cursor). */
  async list(senderId: string | null, options: ListScheduledOptions = {}): Promise<ScheduledNotificationPage> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw new InvalidNotificationException(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    const after = options.after === undefined ? undefined : parseScheduledCursor(options.after);
    if (options.after !== undefined && !after) throw new InvalidNotificationException(`after must be ${SCHEDULED_CURSOR_RULE}`);
    const held = await this.unitOfWork.read((manager) => this.store.list(manager, senderId, after, limit + 1));
    const hasMore = held.length > limit;
    const items = held.slice(0, limit).map((send) => send.view);
    return { items, nextCursor: hasMore ? scheduledCursorOf(items[items.length - 1]) : null };
  }

  /**
   * Moves one held send to `deliverAt` (an ISO 8601 date-time in the future, else
   * InvalidNotificationException); undefined when the sender has no such send still held.
   */
  async reschedule(senderId: string | null, id: string, deliverAt: string): Promise<ScheduledNotificationView | undefined> {
    const due = Date.parse(deliverAt);
    if (Number.isNaN(due)) throw new InvalidNotificationException('deliverAt must be a valid date-time');
    if (due <= Date.now()) throw new InvalidNotificationException('deliverAt must be in the future');
    const moved = await this.unitOfWork.write((manager) => this.store.move(manager, senderId, id, new Date(due).toISOString()));
    if (!moved) return undefined;
    this.lifecycle.rescheduled(new NotificationRescheduledEvent(moved.content, moved.audience, senderId, moved.view.deliverAt));
    return moved.view;
  }

  /** Cancels one held send: it is deleted and never released. False when the sender has no such send still held. */
  async cancel(senderId: string | null, id: string): Promise<boolean> {
    const cancelled = await this.unitOfWork.write((manager) => this.store.cancel(manager, senderId, id));
    if (!cancelled) return false;
    this.lifecycle.cancelled(new NotificationCancelledEvent(cancelled.content, cancelled.audience, senderId));
    return true;
  }
}

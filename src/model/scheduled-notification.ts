import { NOTIFICATION_ID_PATTERN } from './notification-id';
import { NotificationPriority } from './notification.view';

/**
 * A held send (`deliverAt` in the future) as its sender sees it: what was sent, in the words
 * of the `POST /notifications` body, and when it goes.
 */
export interface ScheduledNotificationView {
  id: string;
  /** The users named, when the audience is `userIds`; null otherwise. */
  userIds: string[] | null;
  /** The topic whose subscribers at release time it reaches; null otherwise. */
  topic: string | null;
  /** True when it goes to everyone. */
  broadcast: boolean;
  type: string;
  title: string;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: NotificationPriority;
  /** The TTL it was sent with, counted from `deliverAt`; null when it never expires. */
  ttlSeconds: number | null;
  /** When it is released into its audience's inboxes (ISO 8601 UTC). */
  deliverAt: string;
}

/** One page of a sender's held sends, soonest first. */
export interface ScheduledNotificationPage {
  items: ScheduledNotificationView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Where a page of held sends starts: after this (deliverAt, id), in the list's order. */
export interface ScheduledPosition {
  deliverAt: string;
  id: string;
}

/**
 * The cursor of a held send in its sender's list: its `deliverAt` in milliseconds and its id,
 * `1767258000000.0193…`. A keyset, so a page never repeats or skips a send when others are
 * added, moved or released meanwhile (a send moved past the cursor shows up again further on).
 */
export function scheduledCursorOf(view: Pick<ScheduledNotificationView, 'deliverAt' | 'id'>): string {
  return `${new Date(view.deliverAt).getTime()}.${view.id}`;
}

const SCHEDULED_CURSOR_PATTERN = new RegExp(`^(\\d{1,15})\\.(${NOTIFICATION_ID_PATTERN.source.slice(1, -1)})$`, 'i');

/** What a scheduled cursor is, in the words of every refusal. */
export const SCHEDULED_CURSOR_RULE = 'a nextCursor from GET /notifications/scheduled';

/** The position a scheduled cursor names; undefined when the text is not one. */
export function parseScheduledCursor(value: unknown): ScheduledPosition | undefined {
  if (typeof value !== 'string') return undefined;
  const match = SCHEDULED_CURSOR_PATTERN.exec(value);
  if (!match) return undefined;
  const time = new Date(Number(match[1]));
  if (Number.isNaN(time.getTime())) return undefined;
  return { deliverAt: time.toISOString(), id: match[2].toLowerCase() };
}

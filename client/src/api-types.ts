import type { Notification } from './types';

/** An answer of `GET /notifications?after=…`: what followed the cursor, oldest first. */
export interface PollPage {
  items: Notification[];
  /** Where to poll from next: the last item's cursor, or the `after` polled with when none came. */
  nextCursor: string;
}

/** A held send (`deliverAt` in the future) as its sender sees it. */
export interface ScheduledNotification {
  id: string;
  /** The users named; null for a topic or a broadcast. */
  userIds: string[] | null;
  topic: string | null;
  broadcast: boolean;
  type: string;
  title: string;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: 'low' | 'normal' | 'high';
  /** The TTL it was sent with, counted from deliverAt. */
  ttlSeconds: number | null;
  deliverAt: string;
}

/** A page of held sends, soonest deliverAt first. */
export interface ScheduledPage {
  items: ScheduledNotification[];
  /** Pass as `after` for the next page; null on the last. */
  nextCursor: string | null;
}

/** What {@link NotificationsApi.poll} asks for. */
export interface PollOptions {
  /** The cursor to list after; '0' for the whole inbox. */
  after: string;
  /** Long poll: wait up to this many seconds (1 to 30) for something to follow `after`. */
  wait?: number;
  /** 1 to 100; the server's default is 20. */
  limit?: number;
  /** Only unread notifications. */
  unread?: boolean;
  /** Ends the request (a long poll that is no longer wanted). */
  signal?: AbortSignal;
}

/** A filter of a bulk change: the type (exact, or a prefix ending in `.*`) and topic; none for the whole inbox. */
export interface BulkFilter {
  type?: string;
  topic?: string;
}

/** What {@link NotificationsApi.list} asks for: a page, newest first, and filters that compose. */
export interface ListOptions extends BulkFilter {
  /** 1 to 100; the server's default is 20. */
  limit?: number;
  /** A nextCursor: the page after it. */
  before?: string;
  /** Only unread ones. */
  unread?: boolean;
  /** Only archived ones (true); unarchived ones by default. */
  archived?: boolean;
  /** Only unseen ones (false) or only seen ones (true; a read one counts as seen). */
  seen?: boolean;
  /** Only those created at or after this instant. */
  since?: string | Date;
}

/** A page of the inbox, newest first. */
export interface InboxPage {
  items: Notification[];
  /** Pass as `before` for the next page; null on the last. */
  nextCursor: string | null;
}

/** `GET /notifications/counts`. */
export interface InboxCounts {
  unread: number;
  unseen: number;
  byType: Record<string, number>;
  byTopic: Record<string, number>;
}

/** The answer to taking an action: the action recorded and when (the first time it was taken). */
export interface ActionTaken {
  actionId: string;
  actionedAt: string;
}

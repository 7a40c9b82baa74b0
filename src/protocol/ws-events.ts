import { NotificationContent, NotificationView } from '../model/notification.view';
import { NotificationPreferences } from '../model/preferences';
import { StateFrameData, UnreadCounts } from '../model/inbox-state';

/** Frames the server sends, by event name (contract section 3). */
export interface ServerEvents {
  /** `unseenCount`: of the unread, how many the user has not seen (added with inbox states). */
  ready: { sessionId: string; userId: string; unreadCount: number; unseenCount: number };
  notification: NotificationView;
  /** The unread count, and how many of those are unseen. */
  unread: UnreadCounts;
  /** Notifications of the user changed state (on any session, over REST or by host code). */
  state: StateFrameData;
  /** The user's preferences changed (on any session, or by an admin or host code): the new value. */
  preferences: NotificationPreferences;
  error: { code: FrameErrorCode; message: string };
  pong: Record<string, never>;
}

/** Frames a client may send, by event name. */
export interface ClientEvents {
  ack: { ids: string[] };
  read: { ids: string[] };
  /** Marks these seen, as `POST /notifications/seen {ids}` does. */
  seen: { ids: string[] };
  ping: unknown;
  refresh: { token: string };
}

/** The `code` of an `error` frame: what was wrong with the client's frame. */
export enum FrameErrorCode {
  NotJson = 'NOTIFICATIONS_ERR_NOT_JSON',
  BadFrame = 'NOTIFICATIONS_ERR_BAD_FRAME',
  UnknownEvent = 'NOTIFICATIONS_ERR_UNKNOWN_EVENT',
  BadData = 'NOTIFICATIONS_ERR_BAD_DATA',
  Internal = 'NOTIFICATIONS_ERR_INTERNAL',
}

/** Encodes one server frame as the JSON text `{"event", "data"}`. */
export function encodeFrame<E extends keyof ServerEvents>(event: E, data: ServerEvents[E]): string {
  return JSON.stringify({ event, data });
}

/**
 * The `notification` frame of one notification, serialized once: recipients differ only in
 * their cursor, which is spliced in, so fan-out costs a string concatenation per recipient
 * and a send per socket, not a JSON.stringify per socket.
 */
export class NotificationFrameTemplate {
  private readonly head: string;
  private readonly tail: string;

  constructor(private readonly notification: NotificationContent) {
    const { id } = notification;
    // Field order follows the contract's example: id, cursor, then the rest.
    this.head = `{"event":"notification","data":{"id":${JSON.stringify(id)},"cursor":"`;
    this.tail = this.tailWith(1, null);
  }

  /**
   * The frame for the recipient whose cursor this is (cursors are digits, nothing to escape).
   * A grouped send's recipient has a count and a replaced id of their own: a tail of their own.
   */
  forCursor(cursor: string, grouping?: { groupCount: number; replaces: string | null }): string {
    return this.head + cursor + (grouping ? this.tailWith(grouping.groupCount, grouping.replaces) : this.tail);
  }

  private tailWith(groupCount: number, replaces: string | null): string {
    const { id: _id, ...rest } = this.notification;
    const recipient = {
      deliveredAt: null,
      readAt: null,
      seenAt: null,
      archivedAt: null,
      snoozedUntil: null,
      actionId: null,
      actionedAt: null,
      groupCount,
      replaces,
    };
    return `",${JSON.stringify({ ...rest, ...recipient }).slice(1)}}`;
  }
}

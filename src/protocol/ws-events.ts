import { NotificationView } from '../model/notification.view';
import { NotificationPreferences } from '../model/preferences';

/** Frames the server sends, by event name (contract section 3). */
export interface ServerEvents {
  ready: { sessionId: string; userId: string; unreadCount: number };
  notification: NotificationView;
  unread: { count: number };
  /** The user's preferences changed (on any session, or by an admin or host code): the new value. */
  preferences: NotificationPreferences;
  error: { code: FrameErrorCode; message: string };
  pong: Record<string, never>;
}

/** Frames a client may send, by event name. */
export interface ClientEvents {
  ack: { ids: string[] };
  read: { ids: string[] };
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

  constructor(notification: Omit<NotificationView, 'cursor' | 'deliveredAt' | 'readAt' | 'snoozedUntil'>) {
    const { id, ...rest } = notification;
    // Field order follows the contract's example: id, cursor, then the rest.
    this.head = `{"event":"notification","data":{"id":${JSON.stringify(id)},"cursor":"`;
    this.tail = `",${JSON.stringify({ ...rest, deliveredAt: null, readAt: null, snoozedUntil: null }).slice(1)}}`;
  }

  /** The frame for the recipient whose cursor this is (cursors are digits, nothing to escape). */
  forCursor(cursor: string): string {
    return this.head + cursor + this.tail;
  }
}

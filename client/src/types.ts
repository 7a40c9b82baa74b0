/** A notification as the server sends it (contract section 5). */
export interface Notification {
  id: string;
  cursor: string;
  type: string;
  title: string;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: 'low' | 'normal' | 'high';
  topic: string | null;
  createdAt: string;
  expiresAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  /** Always null as delivered: a snoozed notification is out of lists and replay until it comes back. */
  snoozedUntil?: string | null;
}

/** Payload of the server's first frame on a session. */
export interface ReadyPayload {
  sessionId: string;
  userId: string;
  unreadCount: number;
}

/** Frames the server sends, by event name (contract section 3). */
export interface ServerEvents {
  ready: ReadyPayload;
  notification: Notification;
  unread: { count: number };
  error: { code: string; message: string };
  pong: Record<string, never>;
}

/** Frames the client sends, by event name (contract section 3). */
export interface ClientEvents {
  ack: { ids: string[] };
  read: { ids: string[] };
  ping: Record<string, never>;
  refresh: { token: string };
}

/** Lifecycle of a client: `closed` only once it has stopped for good. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** An error reported through the `error` event, from the server or from the client itself. */
export interface ClientErrorPayload {
  code: string;
  message: string;
  cause?: unknown;
}

/** Payload of the `closed` event, emitted each time a socket closes. */
export interface ClosedPayload {
  code: number;
  reason: string;
  /** Milliseconds until the next attempt, or `null` when the client will not reconnect. */
  retryInMs: number | null;
}

/** Events the SDK emits to the application, by name. */
export interface NotificationClientEvents {
  ready: ReadyPayload;
  /** A listener may return a promise; the notification is acknowledged once it settles successfully. */
  notification: Notification;
  unread: { count: number };
  state: ConnectionState;
  error: ClientErrorPayload;
  closed: ClosedPayload;
}

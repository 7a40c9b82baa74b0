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
  /** When the user first saw it (the bell opened); reading counts as seeing. Absent from servers before inbox states. */
  seenAt?: string | null;
  /** Set while archived (listed only with `archived: true`). Absent from servers before inbox states. */
  archivedAt?: string | null;
  /** Up to 3 buttons; take one with `NotificationsApi.takeAction`. Absent from servers before actions. */
  actions?: NotificationAction[];
  /** The action the user took, and when (null until then). */
  actionId?: string | null;
  actionedAt?: string | null;
  /** The send's groupKey: a later send with the same key replaces this one while it is unread. */
  groupKey?: string | null;
  /** How many sends this one stands for ("Alice and 4 others"). */
  groupCount?: number;
  /** The id of the notification this one replaced: drop that one from the list you show. */
  replaces?: string | null;
}

/** A button on a notification. */
export interface NotificationAction {
  id: string;
  label: string;
  /** Where to take the user once the action is recorded; null when it is handled in place. */
  url: string | null;
  style: 'primary' | 'secondary' | 'danger';
}

/** The unread count, and how many of those the user has not seen. */
export interface UnreadCounts {
  count: number;
  /** Absent from servers before inbox states. */
  unseen?: number;
}

/** What changed in a `state` frame. `snoozed`: it left the inbox until `until`, and comes back then as a new notification. */
export type StateChange = 'read' | 'unread' | 'seen' | 'archived' | 'unarchived' | 'actioned' | 'snoozed';

/**
 * The server's `state` frame: notifications of this user changed state on some session, over
 * REST or by the host application. `ids` is 'all' for a change to the whole inbox as of `at`.
 */
export interface InboxStatePayload {
  ids: string[] | 'all';
  change: StateChange;
  at: string;
  /** With change `actioned`: the action taken. */
  actionId?: string;
  /** With change `snoozed`: when it comes back (ISO 8601 UTC). */
  until?: string;
}

/** Payload of the server's first frame on a session. */
export interface ReadyPayload {
  sessionId: string;
  userId: string;
  unreadCount: number;
  /** Of the unread, how many are unseen. Absent from servers before inbox states. */
  unseenCount?: number;
}

/** Frames the server sends, by event name (contract section 3). */
export interface ServerEvents {
  ready: ReadyPayload;
  notification: Notification;
  unread: UnreadCounts;
  state: InboxStatePayload;
  error: { code: string; message: string };
  pong: Record<string, never>;
}

/** Frames the client sends, by event name (contract section 3). */
export interface ClientEvents {
  ack: { ids: string[] };
  read: { ids: string[] };
  seen: { ids: string[] };
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
  unread: UnreadCounts;
  /**
   * The server's `state` frame. Named `inboxState` because `state` is the connection's
   * (connecting, open, closed) since the first version of this client.
   */
  inboxState: InboxStatePayload;
  state: ConnectionState;
  error: ClientErrorPayload;
  closed: ClosedPayload;
}

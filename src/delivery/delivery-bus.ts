import { NotificationContent } from '../model/notification.view';
import { NotificationPreferences } from '../model/preferences';
import { StateFrameData } from '../model/inbox-state';

/** A notification to put on its recipients' open sessions, wherever they are connected. */
export interface NotificationDelivery {
  kind: 'notification';
  notification: NotificationContent;
  /** Each recipient's cursor, and their unread and unseen counts when they were online at send time. */
  recipients: Array<{
    userId: string;
    cursor: string;
    unreadCount?: number;
    unseenCount?: number;
    previousCursor?: string;
    /** A grouped send only: the recipient's groupCount and the notification it replaced. */
    groupCount?: number;
    replaces?: string | null;
  }>;
}

/** A recipient as a delivery names them, from what the send stored (a grouped send's count and replaced id included). */
export function liveRecipient(
  { userId, cursor, previousCursor, ...grouping }: NotificationDelivery['recipients'][number],
  counts: { count: number; unseen: number } | undefined,
): NotificationDelivery['recipients'][number] {
  return { userId, cursor, previousCursor, unreadCount: counts?.count ?? 0, unseenCount: counts?.unseen ?? 0, ...grouping };
}

/** A user's unread count changed: tell every one of their sessions. */
export interface UnreadDelivery {
  kind: 'unread';
  userId: string;
  count: number;
  /** Of those unread, how many the user has not seen. */
  unseen: number;
}

/** The state of some of a user's notifications changed (read, seen, archived…): tell every one of their sessions. */
export interface StateDelivery {
  kind: 'state';
  userId: string;
  state: StateFrameData;
}

/** A user's access was revoked: close their sessions opened with tokens issued up to then. */
export interface RevokeDelivery {
  kind: 'revoke';
  userId: string;
  /** ISO-8601: tokens issued at or before this are refused. */
  revokedBefore: string;
}

/** A user's preferences changed: every session of theirs gets the new value. */
export interface PreferencesDelivery {
  kind: 'preferences';
  userId: string;
  preferences: NotificationPreferences;
}

/**
 * A broadcast was released: every node puts it in the inbox of the users connected there
 * and delivers it (users who connect later get it when their replay starts).
 */
export interface BroadcastDelivery {
  kind: 'broadcast';
  notificationId: string;
}

/**
 * Raised by a bus on its own node, never sent between nodes: messages may have been lost
 * (the bus was cut off), so every session catches up from the database.
 */
export interface ResyncDelivery {
  kind: 'resync';
}

export type DeliveryMessage =
  NotificationDelivery | UnreadDelivery | StateDelivery | RevokeDelivery | PreferencesDelivery | BroadcastDelivery | ResyncDelivery;

/**
 * The users a message is for, or 'everyone' when every node must see it. A bus routes by
 * this alone, so a new kind of message needs no change in any bus.
 */
export function audienceOf(message: DeliveryMessage): readonly string[] | 'everyone' {
  switch (message.kind) {
    case 'notification':
      return message.recipients.map((recipient) => recipient.userId);
    case 'unread':
    case 'state':
    case 'revoke':
    case 'preferences':
      return [message.userId];
    case 'broadcast':
    case 'resync':
      return 'everyone';
  }
}

/**
 * Carries deliveries from the node that committed them to the nodes holding the sessions,
 * and knows which users are online anywhere. The database stays the source of truth: a lost
 * message costs latency (the client catches up from its cursor), never a notification.
 * Replaceable under the DeliveryBus token (in-process by default; Redis for several nodes).
 */
export interface DeliveryBus {
  /** Hands a message to every node holding one of its users; never throws. */
  publish(message: DeliveryMessage): void;
  /** Registers this node's transport; it receives every message for users connected here. */
  subscribe(listener: (message: DeliveryMessage) => void): void;
  /** The transport reports a session it opened or closed, for presence. */
  sessionOpened(userId: string): void;
  sessionClosed(userId: string): void;
  /**
   * Counts one more session of the user, as sessionOpened does, unless they already hold
   * `limit` on all nodes: then false, and nothing is counted; sessionClosed releases it. The
   * check and the count are one step (nothing awaited between them on this node, one atomic
   * step across nodes), so sessions opened at the same moment can never pass the limit
   * together. Optional: without it the session cap is exact on one node only.
   */
  reserveSession?(userId: string, limit: number): Promise<boolean>;
  /** Which of these users have at least one open session on any node. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
  /** How many sessions the user has open across all nodes. */
  sessionCount(userId: string): Promise<number>;
  /** How many users have a session open on any node (optional: a broadcast reports 0 without it). */
  onlineUserCount?(): Promise<number>;
}

export const DeliveryBus = Symbol('DeliveryBus');

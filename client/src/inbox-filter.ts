import type { ListOptions } from './api-types';
import type { InboxStatePayload, Notification, StateChange } from './types';

/**
 * What an {@link InboxModel} lists: the unarchived inbox, its unread part, the archived
 * notifications, or the unarchived ones of a type (exact, or a prefix ending in `.*`).
 */
export type InboxFilter = 'all' | 'unread' | 'archived' | { type: string };

/** The list options that ask the server for `filter`. */
export function listOptionsOf(filter: InboxFilter): ListOptions {
  if (filter === 'unread') return { unread: true };
  if (filter === 'archived') return { archived: true };
  if (filter === 'all') return {};
  return { type: filter.type };
}

/** Whether `notification` belongs in a list of `filter`, as the server would decide. */
export function matchesFilter(filter: InboxFilter, notification: Notification): boolean {
  // Snoozed: in no list until it comes back, as a new notification.
  if (notification.snoozedUntil) return false;
  if (filter === 'archived') return Boolean(notification.archivedAt);
  if (notification.archivedAt) return false;
  if (filter === 'unread') return !notification.readAt;
  if (filter === 'all') return true;
  if (!filter.type.endsWith('.*')) return notification.type === filter.type;
  return notification.type.startsWith(filter.type.slice(0, -1));
}

/** Whether a change can bring into a list of `filter` a notification the list did not hold. */
export function mayBringIn(filter: InboxFilter, change: StateChange): boolean {
  if (filter === 'archived') return change === 'archived';
  return change === 'unarchived' || (filter === 'unread' && change === 'unread');
}

/** Cursors are decimal strings of growing length: compare by length, then as text. */
export function compareCursors(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `list` (newest first) with `notification` in its place by cursor. */
export function insertByCursor(list: readonly Notification[], notification: Notification): Notification[] {
  const index = list.findIndex((item) => compareCursors(item.cursor, notification.cursor) < 0);
  const at = index === -1 ? list.length : index;
  return [...list.slice(0, at), notification, ...list.slice(at)];
}

/**
 * `notification` after the change of a `state` frame, or the same object when the change does
 * not alter it. A frame that names ids names only those it changed, so its `at` is the
 * server's time of the change and replaces an optimistic local one; a frame for 'all' only
 * fills what is unset (a notification read last week keeps its readAt).
 */
export function applyStateChange(notification: Notification, state: InboxStatePayload): Notification {
  const named = state.ids !== 'all';
  const stamp = (current: string | null | undefined) => (current && !named ? current : state.at);
  switch (state.change) {
    case 'read':
      // Reading counts as seeing.
      return update(notification, { readAt: stamp(notification.readAt), seenAt: notification.seenAt ?? state.at });
    case 'unread':
      return update(notification, { readAt: null });
    case 'seen':
      return update(notification, { seenAt: stamp(notification.seenAt) });
    case 'archived':
      return update(notification, { archivedAt: stamp(notification.archivedAt) });
    case 'unarchived':
      return update(notification, { archivedAt: null });
    case 'actioned':
      // Taking an action marks the notification read too (no separate frame says so).
      return update(notification, {
        actionId: state.actionId ?? null,
        actionedAt: state.at,
        readAt: notification.readAt ?? state.at,
        seenAt: notification.seenAt ?? state.at,
      });
    case 'snoozed':
      // Out of every list until `until`; `at` keeps it out should a server leave `until` off.
      return update(notification, { snoozedUntil: state.until ?? state.at });
    default:
      // A change a newer server sends and this version does not know: leave the row as it is.
      return notification;
  }
}

function update(notification: Notification, fields: Partial<Notification>): Notification {
  const changed = (Object.keys(fields) as Array<keyof Notification>).some((key) => (notification[key] ?? null) !== fields[key]);
  return changed ? { ...notification, ...fields } : notification;
}

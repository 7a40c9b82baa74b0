/** The `unread` frame: the unread count and, of those, how many the user has not seen. */
export interface UnreadCounts {
  count: number;
  unseen: number;
}

/**
 * What changed in a `state` frame. `actioned` is sent by the actions feature, `snoozed` by
 * snoozing (the contract's list has no value for a snooze; this one is ours).
 */
export type StateChange = 'read' | 'unread' | 'seen' | 'archived' | 'unarchived' | 'actioned' | 'snoozed';

/**
 * The `state` frame, sent to every session of the user after a change of state made anywhere:
 * the ids that changed, or 'all' when every notification of the inbox did (read-all, seen-all,
 * archive-all without a filter), as of `at`.
 */
export interface StateFrameData {
  ids: string[] | 'all';
  change: StateChange;
  at: string;
  /** With change `actioned`: the action taken. */
  actionId?: string;
  /** With change `snoozed`: when it comes back (ISO 8601 UTC), as a new `notification` frame. */
  until?: string;
}

/** Which notifications a bulk change (read-all, archive-all) applies to: all when empty. */
export interface BulkFilter {
  /** Exact type, or a prefix ending in `.*` (`expense.*`). */
  type?: string;
  topic?: string;
  /** archive-all only: only read (true) or only unread (false) ones. */
  read?: boolean;
}

/** Filters of an inbox listing, on top of `before` paging (all compose). */
export interface InboxFilter {
  /** Only unread ones. */
  unreadOnly?: boolean;
  /** Only archived ones (true); by default only unarchived ones. */
  archived?: boolean;
  /** Only seen (true) or only unseen (false) ones. */
  seen?: boolean;
  /** Exact type, or a prefix ending in `.*`. */
  type?: string;
  topic?: string;
  /** Only those created at or after this ISO instant. */
  since?: string;
}

/** `GET /notifications/counts`: unread and unseen, and the unread by type and by topic. */
export interface InboxCounts {
  unread: number;
  unseen: number;
  byType: Record<string, number>;
  byTopic: Record<string, number>;
}

import { NotificationAction } from './notification-action';

/** The Notification object of the contract (section 5), as REST and WebSocket return it. */
export interface NotificationView {
  id: string;
  cursor: string;
  type: string;
  title: string;
  body: string | null;
  data: Record<string, unknown> | null;
  priority: NotificationPriority;
  topic: string | null;
  createdAt: string;
  expiresAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  /** When the user first saw it (the bell opened; reading counts as seeing); seen is not read. */
  seenAt: string | null;
  /** Set while it is archived (listed only with `archived=true`). */
  archivedAt: string | null;
  /** Null wherever an entry is listed or delivered: a snoozed one is out of lists and replay until it comes back. */
  snoozedUntil: string | null;
  /** Sent with `critical: true`: it reached every recipient whatever their preferences. */
  critical: boolean;
  /** Up to 3 buttons (POST /notifications/:id/actions/:actionId); [] when it has none. */
  actions: NotificationAction[];
  /** The action this recipient took, and when; null until they take one. */
  actionId: string | null;
  actionedAt: string | null;
  /** The send's groupKey: a later send with the same key replaces this one while it is unread. */
  groupKey: string | null;
  /** How many sends this one stands for (1, or the replaced one's count + 1). */
  groupCount: number;
  /** The id of the recipient's notification this one replaced (archived by it), or null. */
  replaces: string | null;
}

export type NotificationPriority = 'low' | 'normal' | 'high';
export const NOTIFICATION_PRIORITIES: readonly NotificationPriority[] = ['low', 'normal', 'high'];

/** The fields of a NotificationView that differ between recipients (their inbox row), apart from the cursor. */
export type RecipientFields =
  'deliveredAt' | 'readAt' | 'seenAt' | 'archivedAt' | 'snoozedUntil' | 'actionId' | 'actionedAt' | 'groupCount' | 'replaces';

/** A notification's content before it lands in an inbox: the same for every recipient. */
export type NotificationContent = Omit<NotificationView, 'cursor' | RecipientFields>;

/** The fields that are each recipient's own (their inbox row), the cursor included. */
export type RecipientStateField = 'cursor' | RecipientFields;

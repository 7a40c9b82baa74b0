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
  /** Null wherever an entry is listed or delivered: a snoozed one is out of lists and replay until it comes back. */
  snoozedUntil: string | null;
  /** Sent with `critical: true`: it reached every recipient whatever their preferences. */
  critical: boolean;
}

export type NotificationPriority = 'low' | 'normal' | 'high';
export const NOTIFICATION_PRIORITIES: readonly NotificationPriority[] = ['low', 'normal', 'high'];

/** A notification's content before it lands in an inbox: the same for every recipient. */
export type NotificationContent = Omit<NotificationView, 'cursor' | 'deliveredAt' | 'readAt' | 'snoozedUntil'>;

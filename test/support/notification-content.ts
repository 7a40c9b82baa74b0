import { NotificationContent } from '../../src/model/notification.view';

/** A notification's content as the stores take it: plain text, no data, created 2026-06-01 11:00 UTC. */
export function notificationContent(id: string, overrides: Partial<NotificationContent> = {}): NotificationContent {
  return {
    id,
    type: 't',
    title: 'title',
    body: null,
    data: null,
    priority: 'normal',
    topic: null,
    createdAt: '2026-06-01T11:00:00.000Z',
    expiresAt: null,
    critical: false,
    actions: [],
    groupKey: null,
    ...overrides,
  };
}

/** The recipient's own fields of a notification as it is first delivered: untouched, ungrouped. */
export const UNTOUCHED_RECIPIENT_FIELDS = {
  deliveredAt: null,
  readAt: null,
  seenAt: null,
  archivedAt: null,
  snoozedUntil: null,
  actionId: null,
  actionedAt: null,
  groupCount: 1,
  replaces: null,
} as const;

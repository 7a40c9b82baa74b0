import type { Notification } from '../types';

/** A notification as the server would send it, numbered so ids and cursors are distinct. */
export function notification(number: number, overrides: Partial<Notification> = {}): Notification {
  return {
    id: `n${number}`,
    cursor: `c${String(number).padStart(4, '0')}`,
    type: 'expense.approved',
    title: `Notification ${number}`,
    body: null,
    data: null,
    priority: 'normal',
    topic: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: null,
    deliveredAt: null,
    readAt: null,
    snoozedUntil: null,
    ...overrides,
  };
}

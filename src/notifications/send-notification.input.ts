import type { NotificationActionInput } from '../model/notification-action';
import { NotificationPriority } from '../model/notification.view';
import type { TenantOptions } from '../model/tenant-scope';

/**
 * What a sender provides: exactly one audience (`userIds`, `topic` or `broadcast: true`).
 * Limits are enforced by the REST DTO; host code is trusted.
 */
export interface SendNotificationInput {
  userIds?: readonly string[];
  /** Every subscriber of this topic at send time (at `deliverAt` when scheduled). */
  topic?: string;
  /** Every user: connected ones now, others when they connect, until it expires. */
  broadcast?: boolean;
  /** Held (not listed, not sent) until this time; then delivered like a fresh send. */
  deliverAt?: string | Date;
  type: string;
  title: string;
  body?: string | null;
  data?: Record<string, unknown> | null;
  priority?: NotificationPriority;
  /** After this many seconds the notification is no longer delivered, listed or counted. */
  ttlSeconds?: number;
  /** true: it reaches every recipient whatever their preferences (a security alert, say). */
  critical?: boolean;
  /** Up to 3 buttons; taking one emits `notifications.actioned` (POST /notifications/:id/actions/:actionId). */
  actions?: readonly NotificationActionInput[] | null;
  /**
   * Replaces each recipient's unread notification of the same key: the old one is archived,
   * the new one carries `replaces` and `groupCount` (old + 1). Not with `broadcast`.
   */
  groupKey?: string | null;
}

export interface SendOptions extends TenantOptions {
  /** The sending user (`sub`), or null for the host application itself. */
  senderId?: string | null;
  /** A repeat of the same key by the same sender within 24 h returns the first result. */
  idempotencyKey?: string;
  /**
   * With tenancy (module option `tenancy`), the tenant the send goes into: required then, and
   * refused without tenancy. `userIds`, `topic` and `senderId` are that tenant's own ids.
   */
  tenantId?: string;
}

/**
 * The answer to a send: `recipients` users got it in their inbox, `online` of them were
 * connected, and `suppressed` more were left out by their preferences (always 0 for a
 * broadcast, a held send and a critical one).
 */
export interface SendResult {
  id: string;
  recipients: number;
  online: number;
  suppressed: number;
}

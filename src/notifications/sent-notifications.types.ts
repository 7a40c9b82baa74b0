import type { TenantOptions } from '../model/tenant-scope';

/** One notification as the audit of sends shows it: what was sent, by whom, and how far it got. */
export interface SentNotificationSummary {
  id: string;
  type: string;
  title: string;
  /** The token's `sub` that sent it; null for host code that sent without one (or an erased sender). */
  senderId: string | null;
  createdAt: string;
  audience: 'users' | 'topic' | 'broadcast';
  /** Inbox entries it has: for a broadcast, the users it reached so far. */
  recipients: number;
  /** Of those, acknowledged by a session or read (a read notification was delivered). */
  delivered: number;
  read: number;
  /** Recipients that preferences kept it from (0 until preferences exist). */
  suppressed: number;
}

/** Which sends the audit lists (`GET /notifications/sent`). */
export interface SentNotificationsQuery extends TenantOptions {
  /** A sender's id (with tenancy, as `tenantId` names it). */
  senderId?: string;
  /** With tenancy, the tenant whose sends these are: required then, refused without (TenantOptions). */
  tenantId?: string;
  /** Exactly this type. */
  type?: string;
  /** Created at or after this ISO 8601 time. */
  since?: string;
  limit: number;
  /** A nextCursor: the page after it. */
  before?: string;
}

export interface SentNotificationsPage {
  /** Newest first. */
  items: SentNotificationSummary[];
  /** Pass as `before` for the next (older) page; null on the last. */
  nextCursor: string | null;
}

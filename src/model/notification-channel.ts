import { NotificationView } from './notification.view';

/** Who a channel sends to: the user, with the address the module knows for them. */
export interface ChannelRecipient {
  userId: string;
  /** The preferences' email, else the `email` claim of the user's token as last seen; null when neither is known. */
  email: string | null;
}

/**
 * What a send on a channel came to. `failed` is retried with backoff unless `retry` is false;
 * `skipped` ends the plan for that channel without an error (no address, nothing to send to).
 */
export type ChannelOutcome =
  { status: 'sent' } | { status: 'skipped'; reason: string } | { status: 'failed'; error: string; retry?: boolean };

/**
 * A way to reach a user beyond the socket: Web Push, email, or a host's own (Slack, SMS,
 * FCM…) passed to `forRoot({ channels: [...] })`. The module calls `send` when the fallback
 * policy says so, on one node, at most once per notification and user unless it failed.
 * Returning nothing means sent; throwing counts as a failure that is retried.
 */
export interface NotificationChannel {
  /** The channel's name in plans, statuses and metrics: `[a-z0-9_-]{1,40}`, not `websocket`. */
  readonly name: string;
  send(notification: NotificationView, recipient: ChannelRecipient): Promise<ChannelOutcome | void>;
  /** Called once per batch before its sends, with the batch's users: load what they need in one query. */
  prepare?(userIds: readonly string[]): Promise<void>;
}

/** When a planned channel no longer goes: once the notification was acknowledged (`delivered`), or read. */
export type ChannelCancelWhen = 'delivered' | 'read';

/** The rule `[a-z0-9_-]{1,40}` for a channel name, and the reserved name of the live channel. */
export const CHANNEL_NAME = /^[a-z0-9_-]{1,40}$/;
export const LIVE_CHANNEL = 'websocket';

import type { Agent } from 'node:https';
import { ChannelPreferences } from '../model/channel-preferences';
import { ChannelCancelWhen, NotificationChannel } from '../model/notification-channel';

/** Web Push (RFC 8030 with VAPID, RFC 8292): the application server's key pair. Needs the optional package web-push. */
export interface WebPushOptions {
  /** The VAPID public key: an uncompressed P-256 point, base64url (65 bytes). Browsers subscribe with it. */
  publicKey: string;
  /** The VAPID private key: a P-256 scalar, base64url (32 bytes). */
  privateKey: string;
  /** A `mailto:` or `https:` URL the push service may contact about this sender. */
  subject: string;
  /** Refuse subscriptions whose endpoint is not `https:` (default true; the server sets false outside production). */
  requireHttps?: boolean;
  /** The `https.Agent` for requests to push services: a proxy, or a private CA's certificate. */
  agent?: Agent;
}

/** Email over SMTP. Needs the optional package nodemailer. */
export interface EmailOptions {
  /** `smtp://user:password@host:587` or `smtps://…:465`. */
  smtpUrl: string;
  /** The From address: `Notifications <notify@example.com>`. */
  from: string;
  /**
   * Where a user manages what they receive: the target of the `List-Unsubscribe` header and
   * of the footer link (e.g. `https://app.example.com/settings/notifications`). Unset: no header.
   */
  preferencesUrl?: string;
}

/** Signed webhooks for every lifecycle event (Standard Webhooks). */
export interface WebhookOptions {
  /** Where each event is POSTed. */
  url: string;
  /** `whsec_` followed by the base64 key. */
  secret: string;
}

/** When a channel goes for a notification, after it was created. */
export interface ChannelTiming {
  /** Seconds after the send (for push, 0 sends at once to users without an open session). */
  afterSeconds?: number;
  /** What cancels it while it waits: an ack from any session (`delivered`) or a read. */
  cancelWhen?: ChannelCancelWhen;
}

/**
 * The fallback policy: which channel goes when, and per notification type exceptions. A type
 * key is an exact type, or a prefix ending in `.*` (the longest matching prefix wins); `false`
 * turns a channel off for those types.
 */
export interface FallbackOptions {
  /** Per channel name: push defaults to 0 s / delivered, email to 900 s / read, a host's channel to 0 s / delivered. */
  channels?: Record<string, ChannelTiming>;
  types?: Record<string, Record<string, ChannelTiming | false>>;
  /**
   * A user with an open session when a channel would go at once (0 s) gets this long to
   * acknowledge first (default 30 s): their client has the notification already.
   */
  onlineGraceSeconds?: number;
  /** Tries per notification, user and channel before it is recorded as failed (default 5). */
  maxAttempts?: number;
  /** First retry delay in ms, doubled each time with jitter (default 5000). */
  retryBaseMs?: number;
  /** How often the worker looks for due sends, in ms (default 1000). */
  pollMs?: number;
}

export const DEFAULT_PUSH_AFTER_SECONDS = 0;
export const DEFAULT_EMAIL_AFTER_SECONDS = 900;
export const DEFAULT_ONLINE_GRACE_SECONDS = 30;
export const DEFAULT_CHANNEL_MAX_ATTEMPTS = 5;
export const DEFAULT_CHANNEL_RETRY_BASE_MS = 5000;
export const DEFAULT_CHANNEL_POLL_MS = 1000;

/** The options of channels beyond the socket (module options; all off until given). */
export interface NotificationsChannelOptions {
  /** Channels of the host's own (Slack, SMS, FCM…), beside the built-in ones. */
  channels?: NotificationChannel[];
  /** Web Push to browsers that subscribed (`POST /push/subscriptions`). */
  webPush?: WebPushOptions;
  /** Email over SMTP. */
  email?: EmailOptions;
  /** Every lifecycle event POSTed, signed, to one URL. */
  webhooks?: WebhookOptions;
  /** When each channel goes, and per type exceptions. */
  fallback?: FallbackOptions;
  /** What users' preferences allow per channel (default: everything, never held). */
  channelPreferences?: ChannelPreferences;
}

/**
 * The channel options as the module got them, for the providers that need them (resolved
 * once, like ResolvedOptions): the names of the channels configured, built-in ones first.
 */
export class ChannelSettings {
  readonly names: readonly string[];

  constructor(readonly options: NotificationsChannelOptions = {}) {
    this.names = [
      ...(options.webPush ? ['push'] : []),
      ...(options.email ? ['email'] : []),
      ...(options.channels ?? []).map((channel) => channel.name),
    ];
  }
}

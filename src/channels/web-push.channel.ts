import type { Agent } from 'node:https';
import type * as WebPush from 'web-push';
import { requireOptional } from '../config/optional-dependency';
import { WebPushOptions } from '../config/channels.options';
import { ChannelOutcome, ChannelRecipient, NotificationChannel } from '../model/notification-channel';
import { NotificationView } from '../model/notification.view';
import { ChannelAddressesStore, StoredPushSubscription } from '../persistence/channel-addresses.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { pushPayload, pushTiming } from './web-push-payload';

/** How long one push request may take before it counts as failed. */
const PUSH_TIMEOUT_MS = 15_000;
/** A VAPID JWT is signed for this long (RFC 8292 allows 24 h), and renewed an hour before it ends. */
const VAPID_TOKEN_SECONDS = 12 * 3600;
const VAPID_RENEW_SECONDS = 3600;

/**
 * Web Push (RFC 8030), the payload encrypted for the browser (RFC 8291, `aes128gcm`) and
 * signed with the server's VAPID key (RFC 8292) by the `web-push` package. Each of the
 * user's browsers gets the Notification JSON; a 404 or 410 from the push service means the
 * browser unsubscribed, and that subscription is deleted.
 */
export class WebPushChannel implements NotificationChannel {
  readonly name = 'push';
  private readonly webPush = requireOptional<typeof WebPush>('web-push', 'Web Push (the webPush option)');
  private readonly addresses = new ChannelAddressesStore();
  private readonly vapidDetails: { subject: string; publicKey: string; privateKey: string };
  private subscriptions = new Map<string, StoredPushSubscription[]>();
  /** The VAPID `Authorization` per push service origin, signed once and reused until near its expiry. */
  private readonly vapidHeaders = new Map<string, { authorization: string; renewAt: number }>();

  constructor(
    options: WebPushOptions,
    private readonly unitOfWork: UnitOfWork,
    /** For push services with a certificate of their own (tests, a private service). */
    private readonly agent?: Agent,
  ) {
    this.vapidDetails = { subject: options.subject, publicKey: options.publicKey, privateKey: options.privateKey };
    // Fails now, naming the problem, rather than at the first send. (Not setVapidDetails: that
    // is web-push's global state, shared with the host, and would sign every message again.)
    this.webPush.getVapidHeaders('https://push.example', options.subject, options.publicKey, options.privateKey, 'aes128gcm');
  }

  /** Reads the subscriptions of a batch's users in one query. */
  async prepare(userIds: readonly string[]): Promise<void> {
    const found = await this.unitOfWork.read((manager) => this.addresses.pushSubscriptionsOf(manager, userIds));
    this.subscriptions = new Map();
    for (const subscription of found) {
      const list = this.subscriptions.get(subscription.userId) ?? [];
      list.push(subscription);
      this.subscriptions.set(subscription.userId, list);
    }
  }

  async send(notification: NotificationView, recipient: ChannelRecipient): Promise<ChannelOutcome> {
    const subscriptions = this.subscriptions.get(recipient.userId) ?? [];
    if (subscriptions.length === 0) return { status: 'skipped', reason: 'no push subscription' };
    const payload = pushPayload(notification);
    const { ttlSeconds, urgency } = pushTiming(notification, new Date());
    const options: WebPush.RequestOptions = { TTL: ttlSeconds, urgency, timeout: PUSH_TIMEOUT_MS };
    if (this.agent) options.agent = this.agent;
    const results = await Promise.allSettled(
      subscriptions.map((subscription) =>
        this.push(subscription, payload, { ...options, headers: { Authorization: this.vapidAuthorization(subscription.endpoint) } }),
      ),
    );
    const gone = subscriptions.filter((_, index) => isGone(results[index]));
    if (gone.length > 0) {
      await this.unitOfWork.write((manager) =>
        this.addresses.deletePushEndpoints(
          manager,
          gone.map((each) => each.endpoint),
        ),
      );
    }
    if (results.some((result) => result.status === 'fulfilled')) return { status: 'sent' };
    if (gone.length === subscriptions.length) return { status: 'skipped', reason: 'every push subscription has expired' };
    const failure = results.find((result, index) => result.status === 'rejected' && !gone.includes(subscriptions[index]));
    return { status: 'failed', error: describe((failure as PromiseRejectedResult).reason) };
  }

  /**
   * The VAPID header for the endpoint's push service (the JWT's `aud` is its origin). Signing
   * one per message would cost an ES256 signature each; one per origin for hours is what the
   * spec intends, and push services accept it.
   */
  private vapidAuthorization(endpoint: string): string {
    const audience = new URL(endpoint).origin;
    const now = Math.floor(Date.now() / 1000);
    const cached = this.vapidHeaders.get(audience);
    if (cached && cached.renewAt > now) return cached.authorization;
    const { subject, publicKey, privateKey } = this.vapidDetails;
    const headers = this.webPush.getVapidHeaders(audience, subject, publicKey, privateKey, 'aes128gcm', now + VAPID_TOKEN_SECONDS);
    const authorization = String(headers.Authorization);
    this.vapidHeaders.set(audience, { authorization, renewAt: now + VAPID_TOKEN_SECONDS - VAPID_RENEW_SECONDS });
    return authorization;
  }

  /**
   * One browser. An `https:` endpoint goes through web-push's own request; an `http:` one
   * (accepted outside production, for local push services) is the same request, built by
   * web-push, sent over plain HTTP, which web-push does not speak.
   */
  private async push(subscription: StoredPushSubscription, payload: string, options: WebPush.RequestOptions): Promise<void> {
    const target = { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } };
    if (subscription.endpoint.startsWith('https:')) {
      await this.webPush.sendNotification(target, payload, options);
      return;
    }
    const request = this.webPush.generateRequestDetails(target, payload, options);
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body ?? undefined,
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    });
    const body = await response.text();
    if (response.status < 200 || response.status > 299) {
      throw new this.webPush.WebPushError('Received unexpected response code', response.status, {}, body, request.endpoint);
    }
  }
}

/** The push service answered that this subscription no longer exists. */
function isGone(result: PromiseSettledResult<void>): boolean {
  if (result.status !== 'rejected') return false;
  const statusCode = (result.reason as { statusCode?: number })?.statusCode;
  return statusCode === 404 || statusCode === 410;
}

function describe(error: unknown): string {
  const { statusCode, body, message } = (error ?? {}) as { statusCode?: number; body?: string; message?: string };
  if (statusCode !== undefined) return `push service answered ${statusCode}${body ? `: ${String(body).slice(0, 200)}` : ''}`;
  return message ?? String(error);
}

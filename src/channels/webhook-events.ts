import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { WebhookOptions } from '../config/channels.options';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { NotificationLifecycle } from '../notifications/notification-lifecycle';
import { NotificationLifecycleEvents } from '../notifications/notification-lifecycle.events';
import { UnitOfWork } from '../persistence/unit-of-work';
import { WebhookEvent, WebhookEventsStore } from '../persistence/webhook-events.store';
import { retryDelayMs } from './retry-backoff';
import { FAILING_AFTER_ATTEMPTS, RecentOutcomes } from './channel-health';
import { parseWebhookSecret, signWebhook } from './webhook-signature';

/** The webhook's event types, by the lifecycle event they report. */
const WEBHOOK_TYPES: Record<string, string> = {
  [NotificationLifecycleEvents.Created]: 'notification.created',
  [NotificationLifecycleEvents.Delivered]: 'notification.delivered',
  [NotificationLifecycleEvents.Read]: 'notification.read',
  [NotificationLifecycleEvents.Actioned]: 'notification.actioned',
  [NotificationLifecycleEvents.ChannelFailed]: 'channel.failed',
};

/** How long events gather before they are stored together. */
const GATHER_MS = 10;
const EVENTS_PER_CLAIM = 50;
const LEASE_MS = 120_000;
const REQUEST_TIMEOUT_MS = 15_000;

/** Retries of one event: `maxAttempts` tries, `retryBaseMs` doubled between them. */
export interface WebhookRetries {
  maxAttempts: number;
  retryBaseMs: number;
}

/**
 * Lifecycle events to the host's webhook, signed the Standard Webhooks way. Every event is
 * stored first (a few milliseconds of them in one statement), then POSTed by whichever node
 * claims it; a non-2xx answer is tried again with backoff under the same `webhook-id`, and the
 * timestamp and signature of the new try. Sent events are deleted; failed ones stay, marked.
 */
export class WebhookEvents implements BeforeApplicationShutdown, RecentOutcomes {
  readonly channel = 'webhook';
  private recent: Array<{ ok: boolean; error?: string; at: string }> = [];
  private readonly logger = new Logger('WebhookEvents');
  private readonly store = new WebhookEventsStore();
  private readonly key: Buffer;
  private gathered: Array<Omit<WebhookEvent, 'attempts'>> = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly options: WebhookOptions,
    private readonly retries: WebhookRetries,
    private readonly unitOfWork: UnitOfWork,
    lifecycle: NotificationLifecycle,
    private readonly metrics?: NotificationsMetrics,
  ) {
    this.key = parseWebhookSecret(options.secret);
    lifecycle.observe((name, payload) => this.add(name, payload));
  }

  private add(name: string, payload: object): void {
    const type = WEBHOOK_TYPES[name];
    if (!type) return;
    const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data: payload });
    this.gathered.push({ id: `msg_${uuidv7().replace(/-/g, '')}`, type, payload: body });
    this.flushing ??= new Promise((resolve) => setTimeout(resolve, GATHER_MS)).then(() => this.storeGathered());
  }

  /** Stores what has gathered; events a failed write loses are logged. */
  private async storeGathered(): Promise<void> {
    const events = this.gathered;
    this.gathered = [];
    this.flushing = undefined;
    try {
      await this.unitOfWork.write((manager) => this.store.insert(manager, events, new Date().toISOString()));
    } catch (error) {
      this.logger.error(`${events.length} webhook event(s) could not be stored: ${(error as Error).message}`);
    }
  }

  /** Events still gathering are stored before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** POSTs the due events this node claims; returns how many it claimed. */
  async sendDue(): Promise<number> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
    const events = await this.unitOfWork.write((manager) => this.store.claimDue(manager, now.toISOString(), leaseUntil, EVENTS_PER_CLAIM));
    if (events.length === 0) return 0;
    const errors = await Promise.all(events.map((event) => this.post(event)));
    const at = new Date().toISOString();
    this.recent = [...errors.map((error) => ({ ok: error === undefined, error, at })).reverse(), ...this.recent].slice(
      0,
      FAILING_AFTER_ATTEMPTS,
    );
    const sent = events.filter((_, index) => errors[index] === undefined).map((event) => event.id);
    const failures = events.flatMap((event, index) => {
      const error = errors[index];
      if (error === undefined) return [];
      const attempts = event.attempts + 1;
      const last = attempts >= this.retries.maxAttempts;
      if (last) this.metrics?.channelFailed('webhook');
      else this.metrics?.channelRetried('webhook');
      const dueAt = last ? null : new Date(Date.now() + retryDelayMs(attempts, this.retries.retryBaseMs)).toISOString();
      return [{ id: event.id, attempts, dueAt, error }];
    });
    for (const _ of sent) this.metrics?.channelSent('webhook', (Date.now() - now.getTime()) / 1000);
    await this.unitOfWork.write(async (manager) => {
      await this.store.deleteSent(manager, sent);
      await this.store.recordFailures(manager, failures);
    });
    return events.length;
  }

  /** This node's latest POSTs, newest first. */
  latest() {
    return this.recent;
  }

  /** One POST; undefined when the receiver took it (2xx), else why not. */
  private async post(event: WebhookEvent): Promise<string | undefined> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': event.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.key, event.id, timestamp, event.payload),
        },
        body: event.payload,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'manual',
      });
      await response.arrayBuffer();
      return response.ok ? undefined : `the webhook answered ${response.status}`;
    } catch (error) {
      return `the webhook could not be reached: ${(error as Error).message}`;
    }
  }
}

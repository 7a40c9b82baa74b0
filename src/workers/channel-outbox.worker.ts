import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { NOTIFICATION_CHANNELS } from '../channels/channel.providers';
import { OutboxDispatcher, PLANS_PER_BATCH } from '../channels/outbox-dispatcher';
import { WebhookEvents } from '../channels/webhook-events';
import { NotificationChannel } from '../model/notification-channel';
import { FallbackPolicy } from '../notifications/fallback-policy';
import { PeriodicTask } from './periodic-task';

/**
 * Sends what the outbox holds when it is due (Web Push, email, host channels) and the
 * lifecycle events for the webhook, polling the database: every node polls, and each plan
 * is claimed by one. What was due while every node was down goes at the first tick after.
 * Idle, without a query, when nothing is configured.
 */
@Injectable()
export class ChannelOutboxWorker implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly policy: FallbackPolicy,
    private readonly dispatcher: OutboxDispatcher,
    @Inject(NOTIFICATION_CHANNELS) private readonly channels: Map<string, NotificationChannel>,
    @Optional() @Inject(WebhookEvents) private readonly webhooks: WebhookEvents | null,
  ) {
    this.task = new PeriodicTask('Sending by channels beyond the socket', new Logger('ChannelOutboxWorker'), async () => {
      if (this.policy.enabled) while ((await this.dispatcher.runOnce()) === PLANS_PER_BATCH);
      if (this.webhooks) while ((await this.webhooks.sendDue()) > 0);
    });
  }

  onApplicationBootstrap(): void {
    if (this.policy.enabled || this.webhooks) this.task.start(this.policy.pollMs);
  }

  /** Sends what is due now (the timer does this on its own). */
  sendDue(): Promise<void> {
    return this.task.runOnce();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
    for (const channel of this.channels.values()) (channel as { close?: () => void }).close?.();
  }

  /** Lifecycle events still gathering are stored before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.webhooks?.beforeApplicationShutdown();
  }
}

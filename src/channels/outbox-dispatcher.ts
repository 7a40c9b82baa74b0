import { Logger } from '@nestjs/common';
import { ChannelOutcome, ChannelRecipient, NotificationChannel } from '../model/notification-channel';
import { NotificationView } from '../model/notification.view';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { FallbackPolicy } from '../notifications/fallback-policy';
import { NotificationLifecycle } from '../notifications/notification-lifecycle';
import { NotificationChannelFailedEvent } from '../notifications/notification-lifecycle.events';
import { ChannelAddressesStore } from '../persistence/channel-addresses.store';
import { AttemptRecord, ClaimedPlan, OutboxStore, PlanOutcome } from '../persistence/outbox.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ChannelDecision, ChannelPreferences } from '../model/channel-preferences';
import { retryDelayMs } from './retry-backoff';

/** Plans claimed per batch. */
export const PLANS_PER_BATCH = 100;
/** How long a claim holds: a node that dies mid-batch lets its plans go after this. */
const LEASE_MS = 5 * 60_000;
/** How long one send may take before it counts as a failed try (the channel may still finish it). */
const SEND_TIMEOUT_MS = 60_000;
/** Sends of one batch in flight at once. */
const CONCURRENT_SENDS = 16;

/** A due plan with what its send needs. */
interface DuePlan {
  plan: ClaimedPlan;
  channel: NotificationChannel | undefined;
  notification: NotificationView | undefined;
  decision: ChannelDecision;
  /** Set when the channel's `prepare` failed for this batch. */
  prepareError?: string;
}

/**
 * Works the outbox: claims due plans (one node each), asks the preferences, sends each by
 * its channel, and records every try and outcome in one unit of work. A failed try is
 * retried with exponential backoff and jitter up to `maxAttempts`, then recorded as failed
 * (and reported as `channel.failed`). Sends run concurrently with a timeout each, so one
 * channel that hangs or fails never holds up the others, nor the live path.
 */
export class OutboxDispatcher {
  private readonly logger = new Logger('OutboxDispatcher');
  private readonly outbox = new OutboxStore();
  private readonly addresses = new ChannelAddressesStore();

  constructor(
    private readonly channels: ReadonlyMap<string, NotificationChannel>,
    private readonly policy: FallbackPolicy,
    private readonly unitOfWork: UnitOfWork,
    private readonly preferences: ChannelPreferences,
    private readonly lifecycle: NotificationLifecycle,
    private readonly metrics?: NotificationsMetrics,
  ) {}

  /** One batch: returns how many plans it claimed (cancelled ones included). */
  async runOnce(): Promise<number> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
    const claimed = await this.unitOfWork.write((manager) => this.outbox.claimDue(manager, now.toISOString(), leaseUntil, PLANS_PER_BATCH));
    const live = claimed.filter((plan) => plan.status === 'pending');
    if (live.length === 0) return claimed.length;
    const outcomes: PlanOutcome[] = [];
    const attempts: AttemptRecord[] = [];
    try {
      const due = await this.prepare(live, now);
      await inPool(due, CONCURRENT_SENDS, async (each) => {
        const outcome = await this.sendOne(each, now);
        outcomes.push(outcome.plan);
        if (outcome.attempt) attempts.push(outcome.attempt);
      });
    } catch (error) {
      // The batch could not be prepared (the preferences or the database failed): every plan
      // of it waits one retry delay, no try counted, rather than its claim's five minutes.
      this.logger.warn(`A batch of ${live.length} channel sends waits: ${(error as Error)?.message ?? error}`);
      const later = new Date(Date.now() + this.policy.retryBaseMs).toISOString();
      outcomes.splice(
        0,
        outcomes.length,
        ...live.map((plan) => ({ id: plan.id, status: 'pending' as const, dueAt: later, attempts: plan.attempts, error: plan.lastError })),
      );
      attempts.length = 0;
    }
    await this.unitOfWork.write(async (manager) => {
      const at = new Date().toISOString();
      await this.outbox.recordOutcomes(manager, outcomes, at);
      await this.outbox.insertAttempts(manager, attempts);
    });
    for (const outcome of outcomes) {
      if (outcome.status !== 'failed') continue;
      const plan = live.find((each) => each.id === outcome.id)!;
      this.lifecycle.channelFailed(
        new NotificationChannelFailedEvent(plan.notificationId, plan.userId, plan.channel, outcome.attempts, outcome.error ?? ''),
      );
    }
    return claimed.length;
  }

  /** The notifications, addresses and preference decisions of a batch, each read once. */
  private async prepare(live: ClaimedPlan[], now: Date): Promise<DuePlan[]> {
    const userIds = [...new Set(live.map((plan) => plan.userId))];
    const { views, emails } = await this.unitOfWork.read(async (manager) => ({
      views: await this.outbox.notificationsFor(manager, live),
      emails: live.some((plan) => plan.channel === 'email') ? await this.addresses.emailsOf(manager, userIds) : new Map<string, string>(),
    }));
    const due: DuePlan[] = live.map((plan) => ({
      plan,
      channel: this.channels.get(plan.channel),
      notification: views.get(`${plan.notificationId} ${plan.userId}`),
      decision: { allowed: true, email: emails.get(plan.userId) ?? null } as ChannelDecision,
    }));
    // `critical` notifications bypass preferences and quiet hours.
    const asked = due.filter((each) => each.notification && !isCritical(each.notification));
    const decisions = await this.preferences.decide(
      asked.map((each) => ({ userId: each.plan.userId, notification: each.notification!, channel: each.plan.channel })),
      now,
    );
    asked.forEach((each, index) => {
      const decision = decisions[index];
      each.decision = { ...decision, email: decision.email ?? each.decision.email };
    });
    for (const channel of new Set(due.map((each) => each.channel))) {
      if (!channel?.prepare) continue;
      const plans = due.filter((each) => each.channel === channel);
      try {
        await channel.prepare([...new Set(plans.map((each) => each.plan.userId))]);
      } catch (error) {
        // That channel's sends fail this try (and are retried); the other channels go on.
        for (const each of plans) each.prepareError = `preparing the channel failed: ${(error as Error)?.message ?? error}`;
      }
    }
    return due;
  }

  private async sendOne(
    { plan, channel, notification, decision, prepareError }: DuePlan,
    now: Date,
  ): Promise<{ plan: PlanOutcome; attempt?: AttemptRecord }> {
    const settle = (status: PlanOutcome['status'], error: string | null, dueAt = now.toISOString(), attempts = plan.attempts) => ({
      id: plan.id,
      status,
      dueAt,
      attempts,
      error,
    });
    if (!notification) return { plan: settle('skipped', 'no longer in the inbox') };
    if (!channel) return { plan: settle('skipped', `no channel named "${plan.channel}" is configured`) };
    if (!decision.allowed) return { plan: settle('skipped', 'turned off in the preferences') };
    if (decision.holdUntil && decision.holdUntil > now)
      return { plan: settle('pending', plan.lastError, decision.holdUntil.toISOString()) };
    const recipient: ChannelRecipient = { userId: plan.userId, email: decision.email ?? null };
    const outcome: ChannelOutcome = prepareError
      ? { status: 'failed', error: prepareError }
      : await this.attempt(channel, notification, recipient);
    const attempts = plan.attempts + 1;
    const at = new Date().toISOString();
    const attempt = (result: AttemptRecord['outcome'], error: string | null): AttemptRecord => ({
      notificationId: plan.notificationId,
      userId: plan.userId,
      channel: plan.channel,
      attempt: attempts,
      at,
      outcome: result,
      error,
    });
    if (outcome.status === 'sent') {
      this.metrics?.channelSent(plan.channel, (Date.parse(at) - Date.parse(plan.plannedAt)) / 1000);
      return { plan: settle('sent', null, now.toISOString(), attempts), attempt: attempt('sent', null) };
    }
    if (outcome.status === 'skipped')
      return { plan: settle('skipped', outcome.reason, now.toISOString(), attempts), attempt: attempt('skipped', outcome.reason) };
    if (outcome.retry !== false && attempts < this.policy.maxAttempts) {
      this.metrics?.channelRetried(plan.channel);
      const retryAt = new Date(Date.now() + retryDelayMs(attempts, this.policy.retryBaseMs)).toISOString();
      return { plan: settle('pending', outcome.error, retryAt, attempts), attempt: attempt('failed', outcome.error) };
    }
    this.metrics?.channelFailed(plan.channel);
    return { plan: settle('failed', outcome.error, now.toISOString(), attempts), attempt: attempt('failed', outcome.error) };
  }

  /** One try, with a timeout; a throw is a failure to retry. */
  private async attempt(
    channel: NotificationChannel,
    notification: NotificationView,
    recipient: ChannelRecipient,
  ): Promise<ChannelOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ChannelOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'failed', error: `no answer within ${SEND_TIMEOUT_MS / 1000} s` }), SEND_TIMEOUT_MS);
    });
    try {
      return (await Promise.race([channel.send(notification, recipient), timeout])) ?? { status: 'sent' };
    } catch (error) {
      this.logger.warn(`Channel "${channel.name}" failed: ${(error as Error)?.message ?? error}`);
      return { status: 'failed', error: (error as Error)?.message ?? String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Marked `critical` by its sender (inbox state): not held by preferences or quiet hours. */
function isCritical(notification: NotificationView): boolean {
  return (notification as NotificationView & { critical?: boolean }).critical === true;
}

/** Runs `work` on every item, at most `size` at once. */
async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

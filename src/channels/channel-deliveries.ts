import { NotFoundException } from '@nestjs/common';
import { keyInTenantOf, Principal } from '../auth/principal';
import { SenderPolicy } from '../auth/sender-policy';
import { LIVE_CHANNEL } from '../model/notification-channel';
import { OutboxStore, PlanState } from '../persistence/outbox.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { idWithin } from '../model/tenant-scope';

/** How one recipient was reached, or is to be, on one channel. */
export interface ChannelDelivery {
  userId: string;
  /** `websocket` (the live channel: sessions and the event stream), `push`, `email` or a host channel. */
  channel: string;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  /** Tries made. */
  attempts: number;
  /** When it was sent, failed or skipped; when it is due while pending (null: live, not yet acknowledged). */
  at: string | null;
  /** Why the last try failed, or why it was skipped. */
  error?: string;
}

export interface DeliveriesPage {
  items: ChannelDelivery[];
  /** Pass as `?after=` for the next page (a user id); null on the last page. */
  nextCursor: string | null;
}

/**
 * Per recipient and channel, what became of a notification (`GET /notifications/:id/deliveries`),
 * for its sender or an administrator; anyone else gets the 404 of a notification that is not
 * theirs. A plan cancelled by an ack or read reads as skipped, with the reason.
 */
export class ChannelDeliveries {
  private readonly outbox = new OutboxStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly policy: SenderPolicy,
  ) {}

  async list(caller: Principal, notificationId: string, after: string, limit: number): Promise<DeliveriesPage> {
    // With tenancy, user ids in and out are the caller's tenant's own (tenant-scope.ts).
    const own = (key: string) => idWithin(caller.tenantId, key);
    const afterUserId = after === '' ? '' : keyInTenantOf(caller, after);
    const page = await this.unitOfWork.read(async (manager) => {
      const senderId = await this.outbox.senderOf(manager, notificationId);
      // An administrator administers their own tenant only.
      const administers =
        this.policy.canAdminister(caller) &&
        (caller.tenantId === undefined || (await this.outbox.tenantOf(manager, notificationId)) === caller.tenantId);
      const allowed = senderId !== undefined && (senderId === caller.userId || administers);
      if (!allowed) throw new NotFoundException(`You sent no notification ${notificationId.slice(0, 100)}`);
      const recipients = await this.outbox.recipientsPage(manager, notificationId, afterUserId, limit + 1);
      const hasMore = recipients.length > limit;
      if (hasMore) recipients.length = limit;
      const plans = await this.outbox.plansOf(
        manager,
        notificationId,
        recipients.map((recipient) => recipient.userId),
      );
      const byUser = new Map<string, PlanState[]>();
      for (const plan of plans) byUser.set(plan.userId, [...(byUser.get(plan.userId) ?? []), plan]);
      const items = recipients.flatMap(({ userId, deliveredAt }) => [
        {
          userId,
          channel: LIVE_CHANNEL,
          status: deliveredAt ? 'sent' : 'pending',
          attempts: deliveredAt ? 1 : 0,
          at: deliveredAt,
        } as ChannelDelivery,
        ...(byUser.get(userId) ?? []).sort((a, b) => a.channel.localeCompare(b.channel)).map(toDelivery),
      ]);
      return { items, nextCursor: hasMore ? recipients[recipients.length - 1].userId : null };
    });
    const items = page.items.map((item) => ({ ...item, userId: own(item.userId) }));
    return { items, nextCursor: page.nextCursor && own(page.nextCursor) };
  }
}

function toDelivery(plan: PlanState): ChannelDelivery {
  const status = plan.status === 'cancelled' ? 'skipped' : (plan.status as ChannelDelivery['status']);
  const delivery: ChannelDelivery = {
    userId: plan.userId,
    channel: plan.channel,
    status,
    attempts: plan.attempts,
    at: status === 'pending' ? plan.dueAt : plan.updatedAt,
  };
  if (plan.lastError && status !== 'sent') delivery.error = plan.lastError;
  return delivery;
}

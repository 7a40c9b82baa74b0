import { UnreadCounts } from '../model/inbox-state';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DeliveryBus } from '../delivery/delivery-bus';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { InboxActionsStore } from '../persistence/inbox-actions.store';
import { NotificationsStore } from '../persistence/notifications.store';
import { UnitOfWork } from '../persistence/unit-of-work';
import { publishActioned } from './actioned-state';
import { BroadcastInbox } from './broadcast-inbox';
import { NotificationLifecycle } from './notification-lifecycle';
import { NotificationActionedEvent, NotificationReadEvent } from './notification-lifecycle.events';

/** What taking an action answered: the action now recorded (taken now or before), or why not. */
export type ActionOutcome =
  | { kind: 'taken'; actionId: string; actionedAt: string }
  | { kind: 'no-such-notification' }
  | { kind: 'no-such-action' }
  /** Another action was taken first: the one that stands. */
  | { kind: 'other-action-taken'; actionId: string; actionedAt: string };

/**
 * A user takes one of a notification's actions: recorded once per recipient, marking it read,
 * and heard by host code as `notifications.actioned` (after the commit, once: a repeat of the
 * same action answers the same and emits nothing).
 */
@Injectable()
export class InboxActions {
  private readonly store = new InboxActionsStore();
  private readonly inbox = new NotificationsStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly broadcasts: BroadcastInbox,
    private readonly lifecycle: NotificationLifecycle,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {}

  async take(userId: string, id: string, actionId: string, tenant: string | null = null): Promise<ActionOutcome> {
    // A broadcast the user has not listed yet still has to be theirs to act on.
    await this.broadcasts.catchUp(userId);
    let event: NotificationActionedEvent | undefined;
    let unread: UnreadCounts | undefined;
    const outcome = await this.unitOfWork.write(
      async (manager): Promise<ActionOutcome> => {
        const now = new Date().toISOString();
        const target = await this.store.find(manager, userId, id, now);
        if (!target) return { kind: 'no-such-notification' };
        if (!target.notification.actions.some((action) => action.id === actionId)) return { kind: 'no-such-action' };
        let taken = target;
        if (target.actionId === null) {
          const { recorded, wasUnread } = await this.store.record(manager, userId, id, actionId, now);
          if (recorded) {
            event = new NotificationActionedEvent(target.notification, userId, actionId, now, tenant);
            if (wasUnread) unread = (await this.inbox.countUnread(manager, [userId], now)).get(userId) ?? { count: 0, unseen: 0 };
            return { kind: 'taken', actionId, actionedAt: now };
          }
          // Another request took one between the read and the update: answer with what won.
          taken = (await this.store.find(manager, userId, id, now)) ?? target;
        }
        const answer = { actionId: taken.actionId!, actionedAt: taken.actionedAt! };
        return taken.actionId === actionId ? { kind: 'taken', ...answer } : { kind: 'other-action-taken', ...answer };
      },
      () => {
        if (!event) return;
        publishActioned(this.bus, userId, id, event.actionId, event.actionedAt);
        if (unread !== undefined) this.bus.publish({ kind: 'unread', userId, count: unread.count, unseen: unread.unseen });
      },
    );
    if (event) {
      if (unread !== undefined) {
        this.metrics?.notificationsRead(1);
        this.lifecycle.read(new NotificationReadEvent(userId, [id], 1));
      }
      this.lifecycle.actioned(event);
    }
    return outcome;
  }
}

import { Inject, Injectable, Optional } from '@nestjs/common';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { AudienceStore, AUDIENCE_PAGE_SIZE, OpeningState } from '../persistence/audience.store';
import { DeliveryBus, NotificationDelivery } from '../delivery/delivery-bus';
import { NotificationsStore } from '../persistence/notifications.store';
import { chunk } from '../persistence/sql';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ResolvedOptions } from '../config/resolved-options';
import { TenantScope } from '../model/tenant-scope';

/**
 * Puts broadcasts in users' inboxes, where each gets a cursor and read state of its own:
 * for the users connected to this node when a broadcast is released (batched, two statements
 * per 500 users), and for anyone else when their replay or inbox listing starts.
 */
@Injectable()
export class BroadcastInbox {
  private readonly store = new AudienceStore();
  private readonly inbox = new NotificationsStore();
  /** Whether a user without an in-app rule for a broadcast gets it in their inbox. */
  private readonly inAppDefault: boolean;
  private readonly tenants: TenantScope;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    options: ResolvedOptions,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {
    this.inAppDefault = options.preferences.defaults.inApp;
    this.tenants = options.tenants;
  }

  /** Puts the broadcast in these (connected) users' inboxes and delivers it to them. */
  async deliverTo(notificationId: string, connectedUserIds: readonly string[]): Promise<void> {
    const broadcast = await this.unitOfWork.read((manager) =>
      this.store.findLiveBroadcast(manager, notificationId, new Date().toISOString()),
    );
    if (!broadcast) return;
    const { content, tenantId } = broadcast;
    // Every tenant's users are connected here: the broadcast is for its own tenant's only.
    const userIds = this.tenants.enabled
      ? connectedUserIds.filter((userId) => this.tenants.tenantOfKey(userId) === tenantId)
      : connectedUserIds;
    for (const users of chunk(userIds, AUDIENCE_PAGE_SIZE)) {
      let delivery: NotificationDelivery | undefined;
      const created = await this.unitOfWork.write(
        async (manager) => {
          const claim = await this.store.claimBroadcast(manager, content, users, this.inAppDefault);
          const unread = await this.inbox.countUnread(manager, users, new Date().toISOString());
          delivery = {
            kind: 'notification',
            notification: content,
            recipients: claim.recipients.map(({ userId, cursor, previousCursor }) => ({
              userId,
              cursor,
              previousCursor,
              unreadCount: unread.get(userId)?.count ?? 0,
              unseenCount: unread.get(userId)?.unseen ?? 0,
            })),
          };
          return claim.created;
        },
        () => delivery && delivery.recipients.length > 0 && this.bus.publish(delivery),
      );
      // Connected users, so none of these entries waits in an inbox.
      this.metrics?.inboxEntriesCreated(created, created);
    }
  }

  /** Puts the broadcasts this user missed (not connected when released) in their inbox. */
  async catchUp(userId: string): Promise<void> {
    const now = new Date().toISOString();
    // Most users miss nothing most of the time: a read answers that without a write.
    if (
      await this.unitOfWork.read((manager) =>
        this.store.hasMissingBroadcast(manager, userId, now, this.inAppDefault, this.tenantOf(userId)),
      )
    ) {
      await this.putMissing(userId);
    }
  }

  /**
   * A session opening: the user's unread count and latest cursor, with the broadcasts they
   * missed put in their inbox first. One read when none is missing, as nearly always.
   */
  async opening(userId: string): Promise<OpeningState> {
    const read = () =>
      this.unitOfWork.read((manager) =>
        this.store.openingState(manager, userId, new Date().toISOString(), this.inAppDefault, this.tenantOf(userId)),
      );
    const state = await read();
    if (!state.missingBroadcast) return state;
    await this.putMissing(userId);
    return read();
  }

  private async putMissing(userId: string): Promise<void> {
    const created = await this.unitOfWork.write((manager) =>
      this.store.materializeBroadcasts(manager, userId, new Date().toISOString(), this.inAppDefault, this.tenantOf(userId)),
    );
    // The user is connecting or reading the inbox right now: nothing waits for them.
    this.metrics?.inboxEntriesCreated(created, created);
  }

  /** The tenant whose broadcasts reach this user ('' without tenancy). */
  private tenantOf(userId: string): string {
    return this.tenants.tenantOfKey(userId);
  }
}

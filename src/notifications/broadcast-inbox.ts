import { Inject, Injectable, Optional } from '@nestjs/common';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { AudienceStore, AUDIENCE_PAGE_SIZE, OpeningState } from '../persistence/audience.store';
import { DeliveryBus, NotificationDelivery } from '../delivery/delivery-bus';
import { NotificationsStore } from '../persistence/notifications.store';
import { chunk } from '../persistence/sql';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ResolvedOptions } from '../config/resolved-options';
import { TenantKeys } from './tenant-keys';

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

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    options: ResolvedOptions,
    private readonly keys: TenantKeys,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {
    this.inAppDefault = options.preferences.defaults.inApp;
  }

  /** Puts the broadcast in these (connected) users' inboxes and delivers it to them. */
  async deliverTo(notificationId: string, connectedUserIds: readonly string[]): Promise<void> {
    const broadcast = await this.unitOfWork.read((manager) =>
      this.store.findLiveBroadcast(manager, notificationId, new Date().toISOString()),
    );
    if (!broadcast) return;
    const { content, tenantId } = broadcast;
    // Every tenant's users are connected here: the broadcast is for its own tenant's only, whose
    // keys start with its number (in memory when any of them is connected: their tokens told it).
    let userIds = connectedUserIds;
    if (this.keys.enabled) {
      const prefix = tenantId === '' ? undefined : `${await this.keys.numberOf(tenantId, 'read')}:`;
      userIds = prefix === undefined ? [] : connectedUserIds.filter((userId) => userId.startsWith(prefix));
    }
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
    const tenantId = await this.keys.tenantIdOfKey(userId);
    if (tenantId === undefined) return; // a tenant never seen has no broadcasts
    const now = new Date().toISOString();
    // Most users miss nothing most of the time: a read answers that without a write.
    if (await this.unitOfWork.read((manager) => this.store.hasMissingBroadcast(manager, userId, now, this.inAppDefault, tenantId))) {
      await this.putMissing(userId, tenantId);
    }
  }

  /**
   * A session opening: the user's unread count and latest cursor, with the broadcasts they
   * missed put in their inbox first. One read when none is missing, as nearly always.
   */
  async opening(userId: string): Promise<OpeningState> {
    const tenantId = await this.keys.tenantIdOfKey(userId);
    // A user of a tenant never seen (host code reading it) has nothing.
    if (tenantId === undefined) return { unreadCount: 0, unseenCount: 0, latestCursor: '0', missingBroadcast: false };
    const read = () =>
      this.unitOfWork.read((manager) => this.store.openingState(manager, userId, new Date().toISOString(), this.inAppDefault, tenantId));
    const state = await read();
    if (!state.missingBroadcast) return state;
    await this.putMissing(userId, tenantId);
    return read();
  }

  /** `tenantId`: the tenant whose broadcasts reach the user ('' without tenancy). */
  private async putMissing(userId: string, tenantId: string): Promise<void> {
    const created = await this.unitOfWork.write((manager) =>
      this.store.materializeBroadcasts(manager, userId, new Date().toISOString(), this.inAppDefault, tenantId),
    );
    // The user is connecting or reading the inbox right now: nothing waits for them.
    this.metrics?.inboxEntriesCreated(created, created);
  }
}

import { Inject, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { RevocationService } from '../auth/revocation.service';
import { DeliveryBus, DeliveryMessage, NotificationDelivery, RevokeDelivery } from '../delivery/delivery-bus';
import { NotificationsMetrics } from '../metrics/notifications-metrics';
import { encodeFrame, NotificationFrameTemplate } from '../protocol/ws-events';
import { writeTogether } from './frame-coalescing';
import { SessionRegistry } from './session-registry';
import { SessionRevocationCheck } from './session-revocation-check';

/**
 * The last step of every send: takes what the delivery bus carries and writes it to this
 * node's sessions of the recipients, WebSocket and Server-Sent Events alike (each session
 * encodes for its own wire). A notification is serialized once, whatever the fan-out.
 */
@Injectable()
export class LiveDelivery implements OnApplicationBootstrap {
  constructor(
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly registry: SessionRegistry,
    private readonly revocations: RevocationService,
    private readonly revocationCheck: SessionRevocationCheck,
    @Optional() private readonly metrics?: NotificationsMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.bus.subscribe((message) => this.deliver(message));
  }

  deliver(message: DeliveryMessage): void {
    switch (message.kind) {
      case 'notification':
        return this.deliverNotification(message);
      case 'unread': {
        const frame = encodeFrame('unread', { count: message.count, unseen: message.unseen });
        for (const session of this.registry.ofUser(message.userId) ?? []) session.sendOther(frame);
        return;
      }
      case 'state': {
        const frame = encodeFrame('state', message.state);
        for (const session of this.registry.ofUser(message.userId) ?? []) session.sendOther(frame);
        return;
      }
      case 'preferences': {
        const frame = encodeFrame('preferences', message.preferences);
        for (const session of this.registry.ofUser(message.userId) ?? []) session.sendOther(frame);
        return;
      }
      case 'revoke':
        return this.closeRevoked(message);
      case 'resync':
        for (const session of this.registry.all()) session.requestCatchUp();
        // Revoke messages may have been lost with the rest.
        void this.revocationCheck.recheckAll();
        return;
      case 'broadcast':
        // BroadcastRelay puts a broadcast in local inboxes; it then arrives here as notifications.
        return;
    }
  }

  /** Closes the user's sessions opened with tokens issued up to the revocation (4403). */
  private closeRevoked(message: RevokeDelivery): void {
    this.revocations.remember(message.userId, message.revokedBefore);
    this.revocationCheck.closeRevokedSessionsOf(message.userId);
  }

  private deliverNotification(message: NotificationDelivery): void {
    let template: NotificationFrameTemplate | undefined;
    // Recipients of a fan-out mostly share a handful of unread counts: one frame per pair of counts
    // (made once there is more than one recipient; a single send needs no cache).
    let unreadFrames: Map<string, string> | undefined;
    let reached = 0;
    for (const recipient of message.recipients) {
      const sessions = this.registry.ofUser(recipient.userId);
      if (!sessions) continue;
      reached++;
      template ??= new NotificationFrameTemplate(message.notification);
      const grouping =
        recipient.groupCount === undefined ? undefined : { groupCount: recipient.groupCount, replaces: recipient.replaces ?? null };
      const frame = template.forCursor(recipient.cursor, grouping);
      const cursor = Number(recipient.cursor);
      const previousCursor = recipient.previousCursor === undefined ? undefined : Number(recipient.previousCursor);
      const count = recipient.unreadCount;
      let unread: string | undefined;
      if (count !== undefined) {
        // A sender that predates unseen counts (another node mid-upgrade) sent none: all unread.
        const unseen = recipient.unseenCount ?? count;
        const key = `${count}/${unseen}`;
        unread = unreadFrames?.get(key);
        if (unread === undefined) {
          unread = encodeFrame('unread', { count, unseen });
          if (message.recipients.length > 1) (unreadFrames ??= new Map()).set(key, unread);
        }
      }
      for (const session of sessions) {
        writeTogether(session.socket, () => {
          session.sendNotification(cursor, frame, previousCursor);
          if (unread) session.sendOther(unread);
        });
      }
    }
    this.metrics?.notificationDelivered(reached, message.notification.createdAt);
  }
}

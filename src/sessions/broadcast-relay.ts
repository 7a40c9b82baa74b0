import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BroadcastInbox } from '../notifications/broadcast-inbox';
import { DeliveryBus } from '../delivery/delivery-bus';
import { SessionRegistry } from './session-registry';

/**
 * On every node, hands a released broadcast to the users connected here: BroadcastInbox puts
 * it in their inboxes, and it comes back through the bus as an ordinary notification.
 */
@Injectable()
export class BroadcastRelay implements OnApplicationBootstrap {
  private readonly logger = new Logger('BroadcastRelay');

  constructor(
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    private readonly registry: SessionRegistry,
    private readonly broadcasts: BroadcastInbox,
  ) {}

  onApplicationBootstrap(): void {
    this.bus.subscribe((message) => {
      if (message.kind !== 'broadcast') return;
      const connected = [...new Set(this.registry.all().map((session) => session.userId))];
      if (connected.length === 0) return;
      this.broadcasts.deliverTo(message.notificationId, connected).catch((error) => {
        // The users keep it anyway: their next replay or inbox listing puts it in their inbox.
        this.logger.error(`Delivering broadcast ${message.notificationId} failed: ${error}`);
      });
    });
  }
}

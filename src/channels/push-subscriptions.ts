import { NotFoundException } from '@nestjs/common';
import { WebPushOptions } from '../config/channels.options';
import { ChannelAddressesStore } from '../persistence/channel-addresses.store';
import { UnitOfWork } from '../persistence/unit-of-work';

/** A browser's PushSubscription.toJSON(), checked. */
export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The push subscription routes' rules: off (404) until Web Push is configured. */
export class PushSubscriptions {
  private readonly addresses = new ChannelAddressesStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: WebPushOptions | undefined,
  ) {}

  /** The VAPID public key browsers subscribe with (`applicationServerKey`). */
  publicKey(): string {
    return this.configured().publicKey;
  }

  /** Whether endpoints must be `https:` (production). */
  get requireHttps(): boolean {
    return this.options !== undefined && (this.options.requireHttps ?? true);
  }

  async subscribe(userId: string, subscription: PushSubscriptionInput): Promise<void> {
    this.configured();
    const { endpoint, keys } = subscription;
    await this.unitOfWork.write((manager) =>
      this.addresses.savePushSubscription(manager, { endpoint, userId, p256dh: keys.p256dh, auth: keys.auth }, new Date().toISOString()),
    );
  }

  /** Whether the user had a subscription with this endpoint (now deleted). */
  async unsubscribe(userId: string, endpoint: string): Promise<boolean> {
    this.configured();
    return this.unitOfWork.write((manager) => this.addresses.deletePushSubscription(manager, userId, endpoint));
  }

  private configured(): WebPushOptions {
    if (!this.options) throw new NotFoundException('Web Push is not configured on this server');
    return this.options;
  }
}

import { Injectable } from '@nestjs/common';
import { AudienceStore } from '../persistence/audience.store';
import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { TOPIC_PATTERN } from '../model/notification-audience';
import { UnitOfWork } from '../persistence/unit-of-work';
import { qualify, TenantOptions } from '../model/tenant-scope';
import { KeyUse, TenantKeys } from './tenant-keys';

/** Who is subscribed to which topic. Subscribing twice, or unsubscribing a stranger, is a no-op. */
@Injectable()
export class TopicSubscriptions {
  private readonly store = new AudienceStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly keys: TenantKeys,
  ) {}

  /** Subscribes the user to the topic; with tenancy, `scope.tenantId` names the tenant both are in. */
  async subscribe(topic: string, userId: string, scope: TenantOptions = {}): Promise<void> {
    const [topicKey, userKey] = await this.keysOf(topic, userId, scope, 'write');
    await this.unitOfWork.write((manager) => this.store.subscribe(manager, topicKey, userKey, new Date().toISOString()));
  }

  /** Unsubscribes the user from the topic; with tenancy, `scope.tenantId` names the tenant both are in. */
  async unsubscribe(topic: string, userId: string, scope: TenantOptions = {}): Promise<void> {
    // A tenant never seen has no subscriptions: nothing to number.
    const [topicKey, userKey] = await this.keysOf(topic, userId, scope, 'read');
    await this.unitOfWork.write((manager) => this.store.unsubscribe(manager, topicKey, userKey));
  }

  /** The topic and user checked, then keyed in the call's tenant (tenant-keys.ts). */
  private async keysOf(topic: string, userId: string, scope: TenantOptions, use: KeyUse): Promise<[string, string]> {
    if (!TOPIC_PATTERN.test(topic)) throw new InvalidNotificationException('topic must match [A-Za-z0-9._:-]{1,100}');
    const tenantId = this.keys.scope.tenantOf(scope);
    this.keys.scope.checkUserId(userId, tenantId);
    const tenantNumber = await this.keys.numberOf(tenantId, use);
    return [qualify(tenantNumber, topic), qualify(tenantNumber, userId)];
  }
}

import { Injectable } from '@nestjs/common';
import { AudienceStore } from '../persistence/audience.store';
import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { TOPIC_PATTERN } from '../model/notification-audience';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ResolvedOptions } from '../config/resolved-options';
import { qualify, TenantOptions } from '../model/tenant-scope';

/** Who is subscribed to which topic. Subscribing twice, or unsubscribing a stranger, is a no-op. */
@Injectable()
export class TopicSubscriptions {
  private readonly store = new AudienceStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: ResolvedOptions,
  ) {}

  /** Subscribes the user to the topic; with tenancy, `scope.tenantId` names the tenant both are in. */
  async subscribe(topic: string, userId: string, scope: TenantOptions = {}): Promise<void> {
    const [topicKey, userKey] = this.keysOf(topic, userId, scope);
    await this.unitOfWork.write((manager) => this.store.subscribe(manager, topicKey, userKey, new Date().toISOString()));
  }

  /** Unsubscribes the user from the topic; with tenancy, `scope.tenantId` names the tenant both are in. */
  async unsubscribe(topic: string, userId: string, scope: TenantOptions = {}): Promise<void> {
    const [topicKey, userKey] = this.keysOf(topic, userId, scope);
    await this.unitOfWork.write((manager) => this.store.unsubscribe(manager, topicKey, userKey));
  }

  /** The topic and user checked, then qualified with the call's tenant (tenant-scope.ts). */
  private keysOf(topic: string, userId: string, scope: TenantOptions): [string, string] {
    if (!TOPIC_PATTERN.test(topic)) throw new InvalidNotificationException('topic must match [A-Za-z0-9._:-]{1,100}');
    const userKey = this.options.tenants.userKey(userId, scope);
    return [qualify(this.options.tenants.tenantOf(scope), topic), userKey];
  }
}

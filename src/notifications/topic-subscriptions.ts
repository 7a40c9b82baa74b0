import { Injectable } from '@nestjs/common';
import { AudienceStore } from '../persistence/audience.store';
import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { TOPIC_PATTERN } from '../model/notification-audience';
import { UnitOfWork } from '../persistence/unit-of-work';
import { isUserId, USER_ID_RULE } from '../model/user-id';
import { ResolvedOptions } from '../config/resolved-options';
import { fitsUserIdColumns, qualify } from '../model/tenant-scope';

/** Who is subscribed to which topic. Subscribing twice, or unsubscribing a stranger, is a no-op. */
@Injectable()
export class TopicSubscriptions {
  private readonly store = new AudienceStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly options: ResolvedOptions,
  ) {}

  /** Subscribes the user to the topic; with tenancy, `scope.tenantId` names the tenant both are in. */
  async subscribe(topic: string, userId: string, scope: TenantCall = {}): Promise<void> {
    const [topicKey, userKey] = this.keysOf(topic, userId, scope);
    await this.unitOfWork.write((manager) => this.store.subscribe(manager, topicKey, userKey, new Date().toISOString()));
  }

  /** Unsubscribes the user from the topic; with tenancy, `scope.tenantId` names the tenant both are in. */
  async unsubscribe(topic: string, userId: string, scope: TenantCall = {}): Promise<void> {
    const [topicKey, userKey] = this.keysOf(topic, userId, scope);
    await this.unitOfWork.write((manager) => this.store.unsubscribe(manager, topicKey, userKey));
  }

  /** The topic and user checked, then qualified with the call's tenant (tenant-scope.ts). */
  private keysOf(topic: string, userId: string, scope: TenantCall): [string, string] {
    if (!TOPIC_PATTERN.test(topic)) throw new InvalidNotificationException('topic must match [A-Za-z0-9._:-]{1,100}');
    if (!isUserId(userId)) throw new InvalidNotificationException(`userId must be ${USER_ID_RULE}`);
    const tenantId = this.options.tenants.tenantOf(scope);
    if (!fitsUserIdColumns(tenantId, userId)) {
      throw new InvalidNotificationException('userId is too long for its tenant: tenant id and user id take at most 250 characters');
    }
    return [qualify(tenantId, topic), qualify(tenantId, userId)];
  }
}

/** A host call's tenant: required with tenancy (module option `tenancy`), refused without. */
export interface TenantCall {
  tenantId?: string;
}

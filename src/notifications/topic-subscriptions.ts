import { Injectable } from '@nestjs/common';
import { AudienceStore } from '../persistence/audience.store';
import { InvalidNotificationException } from '../model/invalid-notification.exception';
import { TOPIC_PATTERN } from '../model/notification-audience';
import { UnitOfWork } from '../persistence/unit-of-work';
import { isUserId, USER_ID_RULE } from '../model/user-id';

/** Who is subscribed to which topic. Subscribing twice, or unsubscribing a stranger, is a no-op. */
@Injectable()
export class TopicSubscriptions {
  private readonly store = new AudienceStore();

  constructor(private readonly unitOfWork: UnitOfWork) {}

  async subscribe(topic: string, userId: string): Promise<void> {
    checkTopic(topic, userId);
    await this.unitOfWork.write((manager) => this.store.subscribe(manager, topic, userId, new Date().toISOString()));
  }

  async unsubscribe(topic: string, userId: string): Promise<void> {
    checkTopic(topic, userId);
    await this.unitOfWork.write((manager) => this.store.unsubscribe(manager, topic, userId));
  }
}

function checkTopic(topic: string, userId: string): void {
  if (!TOPIC_PATTERN.test(topic)) throw new InvalidNotificationException('topic must match [A-Za-z0-9._:-]{1,100}');
  if (!isUserId(userId)) throw new InvalidNotificationException(`userId must be ${USER_ID_RULE}`);
}

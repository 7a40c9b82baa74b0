import { ContactsContributor, PushSubscriptionsContributor } from './channel-addresses.contributor';
import { ChannelDeliveriesContributor } from './channel-deliveries.contributor';
import { HeldNotificationsContributor } from './held-notifications.contributor';
import { InboxContributor } from './inbox.contributor';
import { PreferencesContributor } from './preferences.contributor';
import { RevocationContributor } from './revocation.contributor';
import { SnoozedNotificationsContributor } from './snoozed-notifications.contributor';
import { IdempotencyKeysContributor, SentNotificationsContributor } from './sender-records.contributor';
import { TopicSubscriptionsContributor } from './topic-subscriptions.contributor';
import { UserDataContributor } from './user-data-contributor';
import { UserDataSections } from './user-data.types';
import { WebhookEventsContributor } from './webhook-events.contributor';

/**
 * Every section of a user's data and the contributor that reads and erases it, in export order.
 * A section of UserDataSections without a contributor here does not compile.
 */
export const USER_DATA_CONTRIBUTORS: { [Section in keyof UserDataSections]: UserDataContributor<UserDataSections[Section][number]> } = {
  // Before the inbox: a snooze released during the erasure lands in an inbox still to be erased.
  snoozedNotifications: new SnoozedNotificationsContributor(),
  inbox: new InboxContributor(),
  heldNotifications: new HeldNotificationsContributor(),
  topicSubscriptions: new TopicSubscriptionsContributor(),
  idempotencyKeys: new IdempotencyKeysContributor(),
  sentNotifications: new SentNotificationsContributor(),
  revocations: new RevocationContributor(),
  preferences: new PreferencesContributor(),
  pushSubscriptions: new PushSubscriptionsContributor(),
  contacts: new ContactsContributor(),
  channelDeliveries: new ChannelDeliveriesContributor(),
  webhookEvents: new WebhookEventsContributor(),
};

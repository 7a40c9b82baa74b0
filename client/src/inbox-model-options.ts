import type { InboxFilter } from './inbox-filter';
import type { NotificationClient } from './notification-client';
import type { NotificationsApi } from './notifications-api';

/** Why an `InboxModel` changed: a page listed, a live frame, or a call of the model. */
export interface InboxModelChange {
  cause: 'load' | 'more' | 'notification' | 'state' | 'counts' | 'local';
}

/** Options of `InboxModel`. */
export interface InboxModelOptions {
  api: NotificationsApi;
  /** The live connection to follow; or attach one later (after the first page, to resume after it). */
  client?: NotificationClient;
  filter?: InboxFilter;
  /** Notifications per page (1 to 100); 20 by default. */
  pageSize?: number;
}

export { connect } from './connect';
export { NotificationClient } from './notification-client';
export { NotificationsApi, NotificationsApiError } from './notifications-api';
export { InboxModel } from './inbox-model';
export type { InboxModelChange, InboxModelOptions } from './inbox-model-options';
export { matchesFilter } from './inbox-filter';
export type { InboxFilter } from './inbox-filter';
export type { FetchLike, NotificationsApiOptions } from './notifications-api';
export type {
  ActionTaken,
  BulkFilter,
  InboxCounts,
  InboxPage,
  ListOptions,
  PollOptions,
  PollPage,
  ScheduledNotification,
  ScheduledPage,
} from './api-types';
export type { ConnectOptions } from './client-options';
export type { TokenProvider } from './token-provider';
export type { WebSocketConstructor, WebSocketLike } from './web-socket-like';
export { CloseCode } from './close-code';
export { ClientErrorCode, NotificationClientError } from './client-error';
export type {
  ClientErrorPayload,
  ClosedPayload,
  ConnectionState,
  InboxStatePayload,
  Notification,
  NotificationAction,
  NotificationClientEvents,
  ReadyPayload,
  StateChange,
  UnreadCounts,
} from './types';

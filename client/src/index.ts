export { connect } from './connect';
export { NotificationClient } from './notification-client';
export type { ConnectOptions } from './client-options';
export type { TokenProvider } from './token-provider';
export type { WebSocketConstructor, WebSocketLike } from './web-socket-like';
export { CloseCode } from './close-code';
export { ClientErrorCode, NotificationClientError } from './client-error';
export type { ClientErrorPayload, ClosedPayload, ConnectionState, Notification, NotificationClientEvents, ReadyPayload } from './types';

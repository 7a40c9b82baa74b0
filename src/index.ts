// The package's only public entry: everything a host app or a client may use, by name.
export { NotificationsModule } from './notifications.module';
export { NOTIFICATIONS_MODULE_OPTIONS } from './notifications.module-definition';
export type {
  NotificationsModuleOptions,
  NotificationsJwtOptions,
  NotificationsWebSocketOptions,
  NotificationsSendRateLimitOptions,
  NotificationsTimingOptions,
} from './notifications.options';
export { NotificationsService } from './notifications/notifications.service';
export type { SendNotificationInput, SendOptions, SendResult, ListOptions, NotificationPage } from './notifications/notifications.service';
export type { NotificationView, NotificationPriority } from './notifications/notification.view';
export { TopicSubscriptions } from './notifications/topic-subscriptions';
export type { NotificationAudience } from './notifications/notification-audience';
export {
  NotificationLifecycleEvents,
  NotificationCreatedEvent,
  NotificationReleasedEvent,
  NotificationDeliveredEvent,
  NotificationReadEvent,
  NotificationArchivedEvent,
} from './notifications/notification-lifecycle.events';
export { NotifyOn, domainEventName } from './domain-events/notify-on.decorator';
export type { NotificationMapping, NotifyOnOptions } from './domain-events/notify-on.decorator';
export { NOTIFICATIONS_ENTITIES } from './notifications/entities';
export { NOTIFICATIONS_MIGRATIONS } from './migrations';
export { DeliveryBus } from './notifications/delivery-bus';
export type {
  DeliveryMessage,
  NotificationDelivery,
  UnreadDelivery,
  RevokeDelivery,
  BroadcastDelivery,
} from './notifications/delivery-bus';
export { InProcessDeliveryBus } from './notifications/in-process-delivery-bus';
export { RedisDeliveryBus } from './notifications/redis-delivery-bus';
export type { RedisDeliveryBusOptions } from './notifications/redis-delivery-bus';
export { InvalidNotificationException } from './notifications/invalid-notification.exception';
export { TokenVerifier } from './auth/token-verifier';
export { SenderPolicy, ScopeSenderPolicy } from './auth/sender-policy';
export { JwtTokenVerifier } from './auth/jwt-token-verifier';
export { JwksTokenVerifier } from './auth/jwks-token-verifier';
export type { JwksVerifierOptions } from './auth/jwks-token-verifier';
export { createJwtKey } from './auth/jwt-key';
export { InvalidTokenException } from './auth/invalid-token.exception';
export { BearerAuthGuard } from './auth/bearer-auth.guard';
export { RevocationService } from './auth/revocation.service';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { SCOPE_SEND, SCOPE_ADMIN } from './auth/principal';
export type { Principal } from './auth/principal';
export { NotificationsMetrics } from './metrics/notifications-metrics';
export { CloseCode } from './gateway/close-code';
export { NotificationsWsAdapter } from './gateway/notifications-ws.adapter';
export { FrameErrorCode } from './gateway/ws-events';
export type { ServerEvents, ClientEvents } from './gateway/ws-events';

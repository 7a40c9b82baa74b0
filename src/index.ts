// The package's only public entry: everything a host app or a client may use, by name.
export { NotificationsModule } from './notifications.module';
export { NOTIFICATIONS_MODULE_OPTIONS } from './notifications.module-definition';
export type { NotificationsModuleOptions } from './notifications.options';
export type {
  NotificationsBehaviourOptions,
  NotificationsJwtOptions,
  NotificationsWebSocketOptions,
  NotificationsSendRateLimitOptions,
  NotificationsTimingOptions,
  NotificationsTableOptions,
  NotificationsRetentionOptions,
  NotificationsPreferencesOptions,
  NotificationsTenancyOptions,
} from './config/notifications.options';
export { NotificationsService } from './notifications/notifications.service';
export type { ListOptions, NotificationPage } from './notifications/notifications.service';
export type { ListScheduledOptions } from './notifications/scheduled-sends';
export { Snoozes, MAX_SNOOZE_DAYS } from './notifications/snoozes';
export type { ScheduledNotificationView, ScheduledNotificationPage } from './model/scheduled-notification';
export type { SentNotificationSummary, SentNotificationsQuery, SentNotificationsPage } from './notifications/sent-notifications.types';
export type {
  UserDataExport,
  UserDataSections,
  InboxEntryData,
  HeldNotificationData,
  TopicSubscriptionData,
  IdempotencyKeyData,
  SentNotificationData,
  RevocationData,
} from './user-data/user-data.types';
export type { SendNotificationInput, SendOptions, SendResult } from './notifications/send-notification.input';
export type { NotificationView, NotificationPriority } from './model/notification.view';
export type { BulkFilter, InboxCounts, InboxFilter, StateChange, StateFrameData, UnreadCounts } from './model/inbox-state';
export { TopicSubscriptions } from './notifications/topic-subscriptions';
// Tenants (docs/tenants.md): the keys the module stores users and topics by, and events as hosts get them.
export { qualify, unqualify, isTenantId, TENANT_ID_MAX_LENGTH, TENANT_USER_ID_MAX_LENGTH } from './model/tenant-scope';
export { TenantKeys } from './notifications/tenant-keys';
export type { TenantOptions } from './model/tenant-scope';
export type { TenantEvent } from './notifications/tenant-events';
export { PreferencesService } from './notifications/preferences.service';
export type {
  NotificationPreferences,
  PreferencesInput,
  ChannelSwitches,
  ChannelDefaults,
  PreferenceChannel,
  QuietHours,
} from './model/preferences';
export { channelAllowed } from './model/channel-rule';
export type { ChannelRules } from './model/channel-rule';
export { InvalidPreferencesException } from './model/invalid-preferences.exception';
export type { NotificationAudience } from './model/notification-audience';
export {
  NotificationLifecycleEvents,
  NotificationCreatedEvent,
  NotificationReleasedEvent,
  NotificationDeliveredEvent,
  NotificationReadEvent,
  NotificationArchivedEvent,
  NotificationRescheduledEvent,
  NotificationCancelledEvent,
  NotificationChannelFailedEvent,
  NotificationActionedEvent,
} from './notifications/notification-lifecycle.events';
export type { ActionOutcome } from './notifications/inbox-actions';
export type { NotificationAction, NotificationActionInput, NotificationActionStyle } from './model/notification-action';
export { NotifyOn, domainEventName } from './domain-events/notify-on.decorator';
export type { MappedNotification, NotificationMapping, NotifyOnOptions } from './domain-events/notify-on.decorator';
export { NOTIFICATIONS_ENTITIES, notificationsEntities } from './persistence/entities';
export { DatabaseWriter } from './persistence/database-writer';
export { NOTIFICATIONS_MIGRATIONS, notificationsMigrations } from './persistence/migrations';
export { DeliveryBus } from './delivery/delivery-bus';
export type {
  DeliveryMessage,
  NotificationDelivery,
  UnreadDelivery,
  RevokeDelivery,
  PreferencesDelivery,
  BroadcastDelivery,
} from './delivery/delivery-bus';
export { InProcessDeliveryBus } from './delivery/in-process-delivery-bus';
export { InvalidNotificationException } from './model/invalid-notification.exception';
export { TokenVerifier } from './auth/token-verifier';
export { SenderPolicy, ScopeSenderPolicy } from './auth/sender-policy';
export { JwtTokenVerifier } from './auth/jwt-token-verifier';
export { JwksTokenVerifier } from './auth/jwks-token-verifier';
export type { JwksVerifierOptions } from './auth/jwks-token-verifier';
export { createJwtKey } from './auth/jwt-key';
export { InvalidTokenException } from './auth/invalid-token.exception';
export { BearerAuthGuard } from './auth/bearer-auth.guard';
export { AcceptsQueryToken } from './auth/accepts-query-token.decorator';
export { RevocationService } from './auth/revocation.service';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { SCOPE_SEND, SCOPE_ADMIN } from './auth/principal';
export type { Principal } from './auth/principal';
export { NotificationsMetrics } from './metrics/notifications-metrics';
export { CloseCode } from './protocol/close-code';
export { FrameErrorCode } from './protocol/ws-events';
export type { ServerEvents, ClientEvents } from './protocol/ws-events';
export { ErrorResponse } from './http/dto/notification.response';
export { MAX_REQUEST_BYTES } from './http/json-request.guard';
export {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_IDS_PER_USER_PER_SECOND,
  DEFAULT_MAX_PENDING_FRAMES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_SESSIONS_PER_USER,
  DEFAULT_SEND_RATE_LIMIT,
} from './config/notifications.options';
export { MAX_JSON_DEPTH, nestsDeeperThan } from './protocol/json-depth';
// Channels beyond the socket: Web Push, email, webhooks, the host's own.
export type { NotificationChannel, ChannelOutcome, ChannelRecipient, ChannelCancelWhen } from './model/notification-channel';
export { ChannelPreferences, AllowAllChannelPreferences } from './model/channel-preferences';
export type { ChannelDecision, ChannelDecisionRequest } from './model/channel-preferences';
export type {
  NotificationsChannelOptions,
  WebPushOptions,
  EmailOptions,
  WebhookOptions,
  FallbackOptions,
  ChannelTiming,
} from './config/channels.options';
export { DEFAULT_PUSH_AFTER_SECONDS, DEFAULT_EMAIL_AFTER_SECONDS } from './config/channels.options';
export { quietHoursEnd, isValidQuietHours } from './channels/quiet-hours';
export { ChannelHealth } from './channels/channel-health';
export type { ChannelHealthReport } from './channels/channel-health';
export { parseWebhookSecret, signWebhook } from './channels/webhook-signature';
export { ChannelOutboxWorker } from './workers/channel-outbox.worker';

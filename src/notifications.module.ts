import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AdminGuard } from './auth/admin.guard';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { createTokenVerifier } from './auth/create-token-verifier';
import { RevocationService } from './auth/revocation.service';
import { ScopeSenderPolicy, SenderPolicy } from './auth/sender-policy';
import { TokenVerifier } from './auth/token-verifier';
import { TenantTokenVerifier } from './auth/tenant-token-verifier';
import { ConfigurableModuleClass, NOTIFICATIONS_MODULE_OPTIONS } from './notifications.module-definition';
import { NotificationsModuleOptions } from './notifications.options';
import { ResolvedOptions } from './config/resolved-options';
import { DeliveryBus } from './delivery/delivery-bus';
import { InProcessDeliveryBus } from './delivery/in-process-delivery-bus';
import { DomainEventNotifier } from './domain-events/domain-event-notifier';
import { NotificationsGateway } from './gateway/notifications.gateway';
import { AdminController } from './http/admin.controller';
import { InboxStateController } from './http/inbox-state.controller';
import { NotificationsController } from './http/notifications.controller';
import { PreferencesController } from './http/preferences.controller';
import { ScheduledController } from './http/scheduled.controller';
import { SnoozeController } from './http/snooze.controller';
import { Snoozes } from './notifications/snoozes';
import { InboxPolls } from './polling/inbox-polls';
import { TopicsController } from './http/topics.controller';
import { UserDataController } from './http/user-data.controller';
import { SentNotificationsController } from './http/sent-notifications.controller';
import { meteredDeliveryBus } from './metrics/metered-delivery-bus';
import { NotificationsMetrics } from './metrics/notifications-metrics';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { BroadcastInbox } from './notifications/broadcast-inbox';
import { NotificationLifecycle } from './notifications/notification-lifecycle';
import { NotificationsService } from './notifications/notifications.service';
import { PreferencesService } from './notifications/preferences.service';
import { SendPipeline } from './notifications/send-pipeline';
import { SentNotificationsAudit } from './notifications/sent-notifications-audit';
import { InboxActions } from './notifications/inbox-actions';
import { NotificationActionsController } from './http/notification-actions.controller';
import { TopicSubscriptions } from './notifications/topic-subscriptions';
import { UnitOfWork } from './persistence/unit-of-work';
import { DatabaseWriter } from './persistence/database-writer';
import { TenantDirectory } from './persistence/tenant-directory';
import { TenantKeys } from './notifications/tenant-keys';
import { UserDataService } from './user-data/user-data.service';
import { SendThrottlerGuard } from './rate-limit/send-throttler.guard';
import { BroadcastRelay } from './sessions/broadcast-relay';
import { LiveDelivery } from './sessions/live-delivery';
import { SessionCap } from './sessions/session-cap';
import { SessionLifecycle } from './sessions/session-lifecycle';
import { SessionRegistry } from './sessions/session-registry';
import { SessionReplay } from './sessions/session-replay';
import { SessionRevocationCheck } from './sessions/session-revocation-check';
import { NotificationStreamController } from './sse/notification-stream.controller';
import { NotificationStreams } from './sse/notification-streams';
import { SessionCapGuard } from './sse/session-cap.guard';
import { ExpiryCleanupWorker } from './workers/expiry-cleanup.worker';
import { RetentionWorker } from './workers/retention.worker';
import { CursorMarkWorker } from './workers/cursor-mark.worker';
import { ScheduledDeliveryWorker } from './workers/scheduled-delivery.worker';
import { ChannelOutboxWorker } from './workers/channel-outbox.worker';
import { ChannelSettings } from './config/channels.options';
import { CHANNEL_PROVIDERS } from './channels/channel.providers';
import { ContactRecorder } from './channels/contact-recorder';
import { DeliveriesController } from './http/deliveries.controller';
import { PushSubscriptionsController } from './http/push-subscriptions.controller';
import { ChannelHealth } from './channels/channel-health';

/**
 * Live notifications for a Nest app: the WebSocket endpoint (`/ws`), the `/notifications`
 * routes and NotificationsService, on the host's TypeORM DataSource. Import with `forRoot()`
 * or `forRootAsync()`; add NOTIFICATIONS_ENTITIES and NOTIFICATIONS_MIGRATIONS to the DataSource
 * (notificationsEntities() and notificationsMigrations() with the `tables` option).
 */
@Module({
  // No TypeOrmModule.forFeature: the SQL runs on the host's DataSource directly, and the
  // entities may be renamed ones (notificationsEntities), registered by the host.
  imports: [DiscoveryModule],
  // Static segments first (`GET /notifications/sent`, `/notifications/scheduled`): they must win over `:id` routes on every platform.
  controllers: [
    SentNotificationsController,
    ScheduledController,
    NotificationsController,
    SnoozeController,
    InboxStateController,
    NotificationActionsController,
    AdminController,
    UserDataController,
    TopicsController,
    PreferencesController,
    NotificationStreamController,
    DeliveriesController,
    PushSubscriptionsController,
  ],
  providers: [
    {
      provide: ResolvedOptions,
      inject: [NOTIFICATIONS_MODULE_OPTIONS],
      useFactory: (options: NotificationsModuleOptions) => new ResolvedOptions(options),
    },
    {
      provide: TokenVerifier,
      inject: [NOTIFICATIONS_MODULE_OPTIONS, ContactRecorder, TenantDirectory],
      useFactory: (options: NotificationsModuleOptions, contacts: ContactRecorder, tenants: TenantDirectory) => {
        const given = options.tokenVerifier ?? createTokenVerifier(options.jwt ?? {});
        // With tenancy, every principal carries its tenant and its user id keyed by the tenant's number.
        const verifier = options.tenancy ? new TenantTokenVerifier(given, options.tenancy.claim, tenants) : given;
        // With email configured, each token's `email` claim is kept as last seen (the address of last resort).
        return options.email ? contacts.wrap(verifier) : verifier;
      },
    },
    {
      provide: ChannelSettings,
      inject: [NOTIFICATIONS_MODULE_OPTIONS],
      useFactory: (options: NotificationsModuleOptions) => new ChannelSettings(options),
    },
    // Channels beyond the socket: Web Push, email, webhooks, the host's own
    ...CHANNEL_PROVIDERS,
    {
      provide: SenderPolicy,
      inject: [NOTIFICATIONS_MODULE_OPTIONS],
      useFactory: (options: NotificationsModuleOptions) => options.senderPolicy ?? new ScopeSenderPolicy(),
    },
    {
      provide: DeliveryBus,
      inject: [NOTIFICATIONS_MODULE_OPTIONS, NotificationsMetrics],
      useFactory: (options: NotificationsModuleOptions, metrics: NotificationsMetrics) =>
        meteredDeliveryBus(options.deliveryBus ?? new InProcessDeliveryBus(), metrics),
    },
    {
      provide: NotificationsMetrics,
      inject: [NOTIFICATIONS_MODULE_OPTIONS, SessionRegistry],
      useFactory: (options: NotificationsModuleOptions, sessions: SessionRegistry) =>
        options.metrics ? new PrometheusMetrics(sessions) : new NotificationsMetrics(),
    },
    {
      provide: SessionCap,
      inject: [ResolvedOptions, DeliveryBus],
      useFactory: (options: ResolvedOptions, bus: DeliveryBus) => new SessionCap(bus, options.websocket.maxSessionsPerUser),
    },
    // Storage and rules
    UnitOfWork,
    DatabaseWriter,
    TenantDirectory,
    TenantKeys,
    NotificationsService,
    SendPipeline,
    BroadcastInbox,
    NotificationLifecycle,
    TopicSubscriptions,
    UserDataService,
    SentNotificationsAudit,
    InboxActions,
    PreferencesService,
    Snoozes,
    // Authentication and limits
    BearerAuthGuard,
    AdminGuard,
    RevocationService,
    SendThrottlerGuard,
    SessionCapGuard,
    // Sessions and transports
    SessionRegistry,
    SessionLifecycle,
    SessionReplay,
    SessionRevocationCheck,
    LiveDelivery,
    BroadcastRelay,
    NotificationsGateway,
    NotificationStreams,
    InboxPolls,
    // Background work and the host's domain events
    ScheduledDeliveryWorker,
    ExpiryCleanupWorker,
    RetentionWorker,
    CursorMarkWorker,
    ChannelOutboxWorker,
    DomainEventNotifier,
  ],
  exports: [
    NotificationsService,
    Snoozes,
    TopicSubscriptions,
    PreferencesService,
    TenantKeys,
    TokenVerifier,
    SenderPolicy,
    DeliveryBus,
    BearerAuthGuard,
    RevocationService,
    NotificationsMetrics,
    ChannelHealth,
    DatabaseWriter,
  ],
})
export class NotificationsModule extends ConfigurableModuleClass {}

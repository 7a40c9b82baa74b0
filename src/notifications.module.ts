import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminController } from './admin/admin.controller';
import { AdminGuard } from './auth/admin.guard';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { createTokenVerifier } from './auth/create-token-verifier';
import { RevocationService } from './auth/revocation.service';
import { SendThrottlerGuard } from './auth/send-throttler.guard';
import { ScopeSenderPolicy, SenderPolicy } from './auth/sender-policy';
import { TokenVerifier } from './auth/token-verifier';
import { DomainEventNotifier } from './domain-events/domain-event-notifier';
import { BroadcastRelay } from './gateway/broadcast-relay';
import { NotificationsGateway } from './gateway/notifications.gateway';
import { SessionCap } from './gateway/session-cap';
import { SessionRegistry } from './gateway/session-registry';
import { SessionRevocationCheck } from './gateway/session-revocation-check';
import { resolveWebSocketLimits } from './gateway/websocket-limits';
import { AudienceSender } from './notifications/audience-sender';
import { BroadcastInbox } from './notifications/broadcast-inbox';
import { meteredDeliveryBus } from './metrics/metered-delivery-bus';
import { NotificationsMetrics } from './metrics/notifications-metrics';
import { SessionReplay } from './gateway/session-replay';
import { DeliveryBus } from './notifications/delivery-bus';
import { ExpiryCleanupWorker } from './notifications/expiry-cleanup.worker';
import { NotificationLifecycle } from './notifications/notification-lifecycle';
import { ScheduledDeliveryWorker } from './notifications/scheduled-delivery.worker';
import { TopicSubscriptions } from './notifications/topic-subscriptions';
import { TopicsController } from './notifications/topics.controller';
import { NOTIFICATIONS_ENTITIES } from './notifications/entities';
import { InProcessDeliveryBus } from './notifications/in-process-delivery-bus';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { NotificationStreamController } from './server-sent-events/notification-stream.controller';
import { NotificationStreams } from './server-sent-events/notification-streams';
import { SessionCapGuard } from './server-sent-events/session-cap.guard';
import { UnitOfWork } from './notifications/unit-of-work';
import { ConfigurableModuleClass, NOTIFICATIONS_MODULE_OPTIONS } from './notifications.module-definition';
import { NotificationsModuleOptions } from './notifications.options';

/**
 * Live notifications for a Nest app: the `/ws` gateway, the `/notifications` routes and
 * NotificationsService, on the host's TypeORM DataSource. Import with `forRoot()` or
 * `forRootAsync()`; add NOTIFICATIONS_ENTITIES and NOTIFICATIONS_MIGRATIONS to the DataSource.
 */
@Module({
  imports: [TypeOrmModule.forFeature(NOTIFICATIONS_ENTITIES), DiscoveryModule],
  controllers: [NotificationsController, AdminController, TopicsController, NotificationStreamController],
  providers: [
    {
      provide: TokenVerifier,
      inject: [NOTIFICATIONS_MODULE_OPTIONS],
      useFactory: (options: NotificationsModuleOptions) => options.tokenVerifier ?? createTokenVerifier(options.jwt ?? {}),
    },
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
      provide: SessionCap,
      inject: [NOTIFICATIONS_MODULE_OPTIONS, DeliveryBus],
      useFactory: (options: NotificationsModuleOptions, bus: DeliveryBus) =>
        new SessionCap(bus, resolveWebSocketLimits(options.websocket).maxSessionsPerUser),
    },
    SessionCapGuard,
    NotificationsMetrics,
    UnitOfWork,
    NotificationsService,
    SessionRegistry,
    SessionRevocationCheck,
    SessionReplay,
    NotificationStreams,
    NotificationsGateway,
    BearerAuthGuard,
    RevocationService,
    AdminGuard,
    SendThrottlerGuard,
    NotificationLifecycle,
    AudienceSender,
    BroadcastInbox,
    BroadcastRelay,
    TopicSubscriptions,
    ScheduledDeliveryWorker,
    ExpiryCleanupWorker,
    DomainEventNotifier,
  ],
  exports: [
    NotificationsService,
    TopicSubscriptions,
    TokenVerifier,
    SenderPolicy,
    DeliveryBus,
    BearerAuthGuard,
    RevocationService,
    NotificationsMetrics,
  ],
})
export class NotificationsModule extends ConfigurableModuleClass {}

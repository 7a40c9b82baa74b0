import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { createJwtKey } from './auth/jwt-key';
import { JwtTokenVerifier } from './auth/jwt-token-verifier';
import { ScopeSenderPolicy, SenderPolicy } from './auth/sender-policy';
import { TokenVerifier } from './auth/token-verifier';
import { NotificationsGateway } from './gateway/notifications.gateway';
import { SessionRegistry } from './gateway/session-registry';
import { SessionReplayer } from './gateway/session-replayer';
import { DeliveryBus } from './notifications/delivery-bus';
import { NOTIFICATIONS_ENTITIES } from './notifications/entities';
import { InProcessDeliveryBus } from './notifications/in-process-delivery-bus';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { UnitOfWork } from './notifications/unit-of-work';
import { ConfigurableModuleClass, NOTIFICATIONS_MODULE_OPTIONS } from './notifications.module-definition';
import { NotificationsModuleOptions } from './notifications.options';

/**
 * Live notifications for a Nest app: the `/ws` gateway, the `/notifications` routes and
 * NotificationsService, on the host's TypeORM DataSource. Import with `forRoot()` or
 * `forRootAsync()`; add NOTIFICATIONS_ENTITIES and NOTIFICATIONS_MIGRATIONS to the DataSource.
 */
@Module({
  imports: [TypeOrmModule.forFeature(NOTIFICATIONS_ENTITIES)],
  controllers: [NotificationsController],
  providers: [
    {
      provide: TokenVerifier,
      inject: [NOTIFICATIONS_MODULE_OPTIONS],
      useFactory: (options: NotificationsModuleOptions) =>
        options.tokenVerifier ?? new JwtTokenVerifier(createJwtKey(options.jwt ?? {}), options.jwt),
    },
    {
      provide: SenderPolicy,
      inject: [NOTIFICATIONS_MODULE_OPTIONS],
      useFactory: (options: NotificationsModuleOptions) => options.senderPolicy ?? new ScopeSenderPolicy(),
    },
    {
      provide: DeliveryBus,
      inject: [NOTIFICATIONS_MODULE_OPTIONS],
      useFactory: (options: NotificationsModuleOptions) => options.deliveryBus ?? new InProcessDeliveryBus(),
    },
    UnitOfWork,
    NotificationsService,
    SessionRegistry,
    SessionReplayer,
    NotificationsGateway,
    BearerAuthGuard,
  ],
  exports: [NotificationsService, TokenVerifier, SenderPolicy, DeliveryBus, BearerAuthGuard],
})
export class NotificationsModule extends ConfigurableModuleClass {}

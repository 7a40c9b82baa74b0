import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { getDataSourceToken, TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NOTIFICATIONS_MIGRATIONS } from 'nest-live-notifications';
import { NOTIFICATIONS_ENTITIES } from 'nest-live-notifications';
import { DatabaseWriter, NotificationsModule } from 'nest-live-notifications';
import { InboxPageModule } from './inbox-page/inbox-page.module';
import { RedisDeliveryBus } from 'nest-live-notifications/redis';
import { ServerErrorFilter } from './server-error.filter';
import { databaseConnectionOptions } from './database-options';
import { HealthController } from './health.controller';
import { InFlightRequests } from './in-flight-requests';
import type { Logger } from 'pino';
import { loggingModule } from './logging';
import { MetricsController } from './metrics.controller';
import { RedisHealthIndicator } from './redis-health.indicator';
import { SERVER_SETTINGS } from './server-settings.token';
import { SqliteCheckpoints } from './sqlite-checkpoints';
import { DatabaseSettings, ServerSettings } from './server-settings';

/** The standalone server: the notifications module on its own database, plus `/health`. */
@Module({})
export class ServerModule {
  static register(settings: ServerSettings, logger: Logger): DynamicModule {
    return {
      module: ServerModule,
      imports: [
        TypeOrmModule.forRoot(databaseOptions(settings.database)),
        NotificationsModule.forRoot({
          jwt: {
            secret: settings.jwt.secret,
            publicKey: settings.jwt.publicKey,
            jwksUri: settings.jwt.jwksUri,
            issuer: settings.jwt.issuer,
            audience: settings.jwt.audience,
            maxTokenAgeSeconds: settings.jwt.maxTokenAgeSeconds,
          },
          retention: { days: settings.retentionDays },
          tenancy: settings.tenantClaim ? { claim: settings.tenantClaim } : undefined,
          websocket: settings.websocket,
          sendRateLimit: { limit: settings.sendsPerMinute, windowMs: 60_000 },
          deliveryBus: settings.redis ? new RedisDeliveryBus(settings.redis) : undefined,
          metrics: true,
          webPush: settings.channels.webPush,
          email: settings.channels.email,
          webhooks: settings.channels.webhooks,
          fallback: {
            channels: {
              push: { afterSeconds: settings.channels.pushAfterSeconds },
              email: { afterSeconds: settings.channels.emailAfterSeconds },
            },
            pollMs: settings.channels.pollMs,
            retryBaseMs: settings.channels.retryBaseMs,
            maxAttempts: settings.channels.maxAttempts,
          },
        }),
        TerminusModule,
        loggingModule(logger),
        ...(settings.inboxPage.enabled ? [InboxPageModule.register(inboxPageOptions(settings))] : []),
      ],
      controllers: [HealthController, ...(settings.operations.metricsEnabled ? [MetricsController] : [])],
      providers: [
        InFlightRequests,
        { provide: SERVER_SETTINGS, useValue: settings },
        { provide: APP_FILTER, useClass: ServerErrorFilter },
        ...(settings.database.type === 'sqlite' && settings.database.path !== ':memory:'
          ? [sqliteCheckpointsProvider(settings.database.path)]
          : []),
        ...(settings.redis
          ? [
              {
                provide: RedisHealthIndicator,
                inject: [HealthIndicatorService],
                useFactory: (indicators: HealthIndicatorService) => new RedisHealthIndicator(settings.redis!.url, indicators),
              },
            ]
          : []),
      ],
    };
  }
}

/** The page offers its user picker (POST /dev/token) only on the development key. */
function inboxPageOptions({ jwt }: ServerSettings) {
  if (!jwt.isDevelopmentKey || !jwt.secret) return {};
  return { developmentTokens: { secret: jwt.secret, issuer: jwt.issuer, audience: jwt.audience } };
}

/** See SqliteCheckpoints: the file's WAL is checkpointed off the event loop. */
function sqliteCheckpointsProvider(path: string) {
  return {
    provide: SqliteCheckpoints,
    inject: [getDataSourceToken(), DatabaseWriter],
    useFactory: (dataSource: DataSource, writer: DatabaseWriter) => new SqliteCheckpoints(dataSource, path, writer),
  };
}

/** The same entities and migrations on either engine. */
function databaseOptions(database: DatabaseSettings): TypeOrmModuleOptions {
  return {
    // A worker thread checkpoints a SQLite file instead of the connection (SqliteCheckpoints).
    ...databaseConnectionOptions(database, { checkpointInWorker: true }),
    entities: NOTIFICATIONS_ENTITIES,
    migrations: NOTIFICATIONS_MIGRATIONS,
    migrationsRun: true,
  };
}

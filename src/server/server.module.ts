import { DynamicModule, Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NOTIFICATIONS_MIGRATIONS } from '../migrations';
import { NOTIFICATIONS_ENTITIES } from '../notifications/entities';
import { NotificationsModule } from '../notifications.module';
import { InboxPageModule } from '../inbox-page/inbox-page.module';
import { HealthController } from './health.controller';
import { InFlightRequests } from './in-flight-requests';
import { loggingModule, LoggingOptions } from './logging';
import { MetricsController } from './metrics.controller';
import { RedisHealthIndicator } from './redis-health.indicator';
import { SERVER_SETTINGS } from './server-settings.token';
import { ServerSettings } from './server-settings';

/** The standalone server: the notifications module on its own database, plus `/health`. */
@Module({})
export class ServerModule {
  static register(settings: ServerSettings, logging: Omit<LoggingOptions, 'settings'> = {}): DynamicModule {
    const { path } = settings.database;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return {
      module: ServerModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: path,
          entities: NOTIFICATIONS_ENTITIES,
          migrations: NOTIFICATIONS_MIGRATIONS,
          migrationsRun: true,
          // WAL lets readers proceed during a write; NORMAL syncs at checkpoints, not per commit,
          // and stays durable across a process crash (only a power loss can drop the last commits).
          enableWAL: true,
          prepareDatabase: (database: { pragma(statement: string): unknown }) => {
            database.pragma('synchronous = NORMAL');
          },
        }),
        NotificationsModule.forRoot({
          jwt: {
            secret: settings.jwt.secret,
            publicKey: settings.jwt.publicKey,
            jwksUri: settings.jwt.jwksUri,
            issuer: settings.jwt.issuer,
            audience: settings.jwt.audience,
          },
          websocket: settings.websocket,
          sendRateLimit: { limit: settings.sendsPerMinute, windowMs: 60_000 },
        }),
        TerminusModule,
        loggingModule({ settings: settings.operations, ...logging }),
        ...(settings.inboxPage.enabled ? [InboxPageModule.register(inboxPageOptions(settings))] : []),
      ],
      controllers: [HealthController, ...(settings.operations.metricsEnabled ? [MetricsController] : [])],
      providers: [
        InFlightRequests,
        { provide: SERVER_SETTINGS, useValue: settings },
        ...(settings.redisUrl
          ? [
              {
                provide: RedisHealthIndicator,
                inject: [HealthIndicatorService],
                useFactory: (indicators: HealthIndicatorService) => new RedisHealthIndicator(settings.redisUrl!, indicators),
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

import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NOTIFICATIONS_MIGRATIONS } from '../migrations';
import { NOTIFICATIONS_ENTITIES } from '../notifications/entities';
import { NotificationsModule } from '../notifications.module';
import { InboxPageModule } from '../inbox-page/inbox-page.module';
import { HealthController } from './health.controller';
import { ServerSettings } from './server-settings';

/** The standalone server: the notifications module on its own database, plus `/health`. */
@Module({})
export class ServerModule {
  static register(settings: ServerSettings): DynamicModule {
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
            issuer: settings.jwt.issuer,
            audience: settings.jwt.audience,
          },
          websocket: { maxPayloadBytes: settings.websocket.maxPayloadBytes },
        }),
        TerminusModule,
        ...(settings.inboxPage.enabled ? [InboxPageModule.register(inboxPageOptions(settings))] : []),
      ],
      controllers: [HealthController],
    };
  }
}

/** The page offers its user picker (POST /dev/token) only on the development key. */
function inboxPageOptions({ jwt }: ServerSettings) {
  if (!jwt.isDevelopmentKey || !jwt.secret) return {};
  return { developmentTokens: { secret: jwt.secret, issuer: jwt.issuer, audience: jwt.audience } };
}

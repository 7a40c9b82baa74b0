import { AddressInfo } from 'node:net';
import { Controller, INestApplication, Injectable, Module, ModuleMetadata, Post, Type } from '@nestjs/common';
import { NestFactory, RouterModule } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
// A host app sees only the package's public entry.
import {
  notificationsEntities,
  notificationsMigrations,
  NotificationsModule,
  NotificationsModuleOptions,
  NotificationsService,
  NotificationsTableOptions,
  Principal,
  SenderPolicy,
} from '../../src/index';
import { temporaryDirectory } from './test-server';
import { TEST_SECRET } from './tokens';

/** The host's own rule: anyone whose `roles` claim includes "ops" may send. */
export class RoleSenderPolicy implements SenderPolicy {
  canSend(principal: Principal): boolean {
    return Array.isArray(principal.claims.roles) && principal.claims.roles.includes('ops');
  }
  canAdminister(): boolean {
    return false;
  }
}

/**
 * An enterprise host's topic rule: `finance-*` topics are managed by senders only (a user may
 * not join one by themself); other topics follow the default. Asynchronous, as a rule that asks
 * a directory would be.
 */
export class RestrictedTopicsPolicy extends RoleSenderPolicy {
  async canSubscribe(principal: Principal, topic: string, userId: string): Promise<boolean> {
    if (topic.startsWith('finance-')) return this.canSend(principal);
    return principal.userId === userId || this.canSend(principal);
  }
}

@Injectable()
class SettingsService {
  readonly jwtSecret = TEST_SECRET;
}

@Module({ providers: [SettingsService], exports: [SettingsService] })
class SettingsModule {}

/** Host code that notifies by calling the service, not over HTTP. */
@Controller('orders')
class OrdersController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  async create() {
    return this.notifications.send({ userIds: ['buyer'], type: 'order.created', title: 'Order received' });
  }
}

/** A feature module of the host that does NOT import NotificationsModule, yet wants the service. */
@Injectable()
export class ReportsService {
  constructor(readonly notifications: NotificationsService) {}

  reportReady(userId: string) {
    return this.notifications.send({ userIds: [userId], type: 'report.ready', title: 'Your report is ready' });
  }
}

@Module({ providers: [ReportsService] })
export class ReportsModule {}

/** The host's own real-time gateway, on whatever adapter the host uses (Socket.IO by default). */
@WebSocketGateway({ path: '/chat' })
class ChatGateway {
  @SubscribeMessage('hello')
  hello(@MessageBody() name: string) {
    return { event: 'hello', data: `hello ${name}` };
  }
}

export interface HostOptions {
  isGlobal?: boolean;
  imports?: ModuleMetadata['imports'];
  dataSource?: DataSource;
  /** The host's own WebSocket adapter: Nest's default (Socket.IO) unless 'ws'. */
  adapter?: 'default' | 'ws';
  globalPrefix?: string;
  /** Mounts the module's routes under this path with RouterModule. */
  routerPath?: string;
  chatGateway?: boolean;
  senderPolicy?: SenderPolicy;
  /** The module's table naming, given to the module and to the host's DataSource alike. */
  tables?: NotificationsTableOptions;
  /** The host's own entities, beside the module's. */
  entities?: Type[];
  /** Another database than a fresh SQLite file (a PostgreSQL one, say). */
  database?: Partial<DataSourceOptions>;
  /** More module options (channels beyond the socket, say). */
  module?: Partial<NotificationsModuleOptions>;
}

/** Host apps as a user writes them, booted on loopback ports; `closeAll` after each test. */
export class HostApps {
  private readonly directory = temporaryDirectory();
  private running: INestApplication[] = [];

  /** The DataSource options a host writes: its entities and the module's, the module's migrations. */
  databaseOptions(options: Pick<HostOptions, 'tables' | 'entities' | 'database'> = {}): DataSourceOptions {
    return {
      type: 'better-sqlite3',
      database: join(this.directory.path, `host-${Math.random()}.sqlite`),
      ...options.database,
      entities: [...(options.entities ?? []), ...notificationsEntities(options.tables)],
      migrations: notificationsMigrations(options.tables),
      migrationsRun: true,
    } as DataSourceOptions;
  }

  async boot(options: HostOptions = {}) {
    const { dataSource } = options;
    const database = dataSource
      ? TypeOrmModule.forRootAsync({ useFactory: () => dataSource.options, dataSourceFactory: async () => dataSource })
      : TypeOrmModule.forRoot(this.databaseOptions(options));
    @Module({
      imports: [
        ...(options.imports ?? []),
        database,
        NotificationsModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SettingsService],
          useFactory: (settings: SettingsService) => ({
            jwt: { secret: settings.jwtSecret },
            websocket: { path: '/live' },
            senderPolicy: options.senderPolicy ?? new RoleSenderPolicy(),
            tables: options.tables,
            ...options.module,
          }),
          isGlobal: options.isGlobal,
        }),
        ...(options.routerPath ? [RouterModule.register([{ path: options.routerPath, module: NotificationsModule }])] : []),
      ],
      controllers: [OrdersController],
      providers: options.chatGateway ? [ChatGateway] : [],
    })
    class HostModule {}

    // abortOnError: false makes a failed dependency resolution reject instead of exiting the process.
    const app = await NestFactory.create(HostModule, { logger: false, abortOnError: false });
    if (options.adapter === 'ws') app.useWebSocketAdapter(new WsAdapter(app));
    if (options.globalPrefix) app.setGlobalPrefix(options.globalPrefix);
    await app.listen(0, '127.0.0.1');
    this.running.push(app);
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, baseUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.running.map((app) => app.close()));
    this.running = [];
  }

  remove(): void {
    this.directory.remove();
  }
}

import { AddressInfo } from 'node:net';
import { Controller, INestApplication, Injectable, Module, ModuleMetadata, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
// A host app sees only the package's public entry.
import {
  NOTIFICATIONS_ENTITIES,
  NOTIFICATIONS_MIGRATIONS,
  NotificationsModule,
  NotificationsService,
  Principal,
  SenderPolicy,
} from '../src/index';
import { request, send } from './support/http';
import { temporaryDirectory } from './support/test-server';
import { TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** The host's own rule: anyone whose `roles` claim includes "ops" may send. */
class RoleSenderPolicy implements SenderPolicy {
  canSend(principal: Principal): boolean {
    return Array.isArray(principal.claims.roles) && principal.claims.roles.includes('ops');
  }
  canAdminister(): boolean {
    return false;
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
class ReportsService {
  constructor(readonly notifications: NotificationsService) {}

  reportReady(userId: string) {
    return this.notifications.send({ userIds: [userId], type: 'report.ready', title: 'Your report is ready' });
  }
}

@Module({ providers: [ReportsService] })
class ReportsModule {}

describe('A host app that imports NotificationsModule', () => {
  const directory = temporaryDirectory();
  /** Hosts booted by the current test, closed after it even when an assertion failed. */
  let running: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(running.map((app) => app.close()));
    running = [];
  });

  /** A fresh SQLite file with the module's entities and migrations, as a host configures it. */
  const databaseOptions = () => ({
    type: 'better-sqlite3' as const,
    database: join(directory.path, `host-${Math.random()}.sqlite`),
    entities: NOTIFICATIONS_ENTITIES,
    migrations: NOTIFICATIONS_MIGRATIONS,
    migrationsRun: true,
  });

  async function bootHost(options: { isGlobal?: boolean; imports?: ModuleMetadata['imports']; dataSource?: DataSource } = {}) {
    const { dataSource } = options;
    const database = dataSource
      ? TypeOrmModule.forRootAsync({ useFactory: () => dataSource.options, dataSourceFactory: async () => dataSource })
      : TypeOrmModule.forRoot(databaseOptions());
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
            senderPolicy: new RoleSenderPolicy(),
          }),
          isGlobal: options.isGlobal,
        }),
      ],
      controllers: [OrdersController],
    })
    class HostModule {}

    // abortOnError: false makes a failed dependency resolution reject instead of exiting the process.
    const app = await NestFactory.create(HostModule, { logger: false, abortOnError: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0, '127.0.0.1');
    running.push(app);
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, baseUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` };
  }

  afterAll(() => directory.remove());

  it('serves the gateway on its configured path and the REST routes, with its own sender rule', async () => {
    const host = await bootHost();
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');

    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const sent = await send(host.baseUrl, ops, { userIds: ['buyer'], title: 'From REST' });
    expect(sent.status).toBe(201);
    expect((await client.next('notification')).data.title).toBe('From REST');
    const refused = await send(host.baseUrl, tokenFor('x', { scope: 'notifications:send' }), { userIds: ['buyer'] });
    expect(refused.status).toBe(403);

    const order = await request(host.baseUrl, 'POST', '/orders');
    expect(order.body).toEqual({ id: expect.any(String), recipients: 1, online: 1 });
    const frames = await client.waitFor('notification', 2);
    expect(frames[1].data).toMatchObject({ id: order.body.id, type: 'order.created', title: 'Order received' });

    await client.close();
  });

  it('with isGlobal, a module that does not import it injects NotificationsService and delivers through it', async () => {
    const host = await bootHost({ isGlobal: true, imports: [ReportsModule] });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('analyst')}`);
    await client.next('ready');

    const reports = host.app.select(ReportsModule).get(ReportsService, { strict: true });
    expect(reports.notifications).toBe(host.app.get(NotificationsService));
    const sent = await reports.reportReady('analyst');
    expect((await client.next('notification')).data).toMatchObject({ id: sent.id, type: 'report.ready' });

    await client.close();
  });

  it('without isGlobal, a module that does not import it cannot inject NotificationsService', async () => {
    // The host's DataSource is ready before the boot fails, so no connection attempt outlives the test.
    const dataSource = await new DataSource(databaseOptions()).initialize();
    try {
      await expect(bootHost({ imports: [ReportsModule], dataSource })).rejects.toThrow(
        /Nest can't resolve dependencies of the ReportsService \(\?\)[\s\S]*ReportsModule/,
      );
    } finally {
      await dataSource.destroy();
    }
  });
});

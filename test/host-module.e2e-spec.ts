import { AddressInfo } from 'node:net';
import { Controller, INestApplication, Injectable, Module, ModuleMetadata, Post } from '@nestjs/common';
import { NestFactory, RouterModule } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { io } from 'socket.io-client';
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

/**
 * An enterprise host's topic rule: `finance-*` topics are managed by senders only (a user may
 * not join one by themself); other topics follow the default. Asynchronous, as a rule that asks
 * a directory would be.
 */
class RestrictedTopicsPolicy extends RoleSenderPolicy {
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
class ReportsService {
  constructor(readonly notifications: NotificationsService) {}

  reportReady(userId: string) {
    return this.notifications.send({ userIds: [userId], type: 'report.ready', title: 'Your report is ready' });
  }
}

@Module({ providers: [ReportsService] })
class ReportsModule {}

/** The host's own real-time gateway, on whatever adapter the host uses (Socket.IO by default). */
@WebSocketGateway({ path: '/chat' })
class ChatGateway {
  @SubscribeMessage('hello')
  hello(@MessageBody() name: string) {
    return { event: 'hello', data: `hello ${name}` };
  }
}

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

  async function bootHost(
    options: {
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
    } = {},
  ) {
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
            senderPolicy: options.senderPolicy ?? new RoleSenderPolicy(),
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

  it("keeps the host's Socket.IO gateway on Nest's default adapter working beside its own WebSocket", async () => {
    const host = await bootHost({ chatGateway: true });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');
    const chat = io(host.baseUrl, { path: '/chat', transports: ['websocket'], reconnection: false });
    try {
      const answer = await new Promise((resolve, reject) => {
        chat.on('connect_error', reject);
        // The gateway answers with { event, data }: Socket.IO emits it as that event.
        chat.on('hello', resolve);
        chat.emit('hello', 'host');
      });
      expect(answer).toBe('hello host');
      const order = await request(host.baseUrl, 'POST', '/orders');
      expect((await client.next('notification')).data).toMatchObject({ id: order.body.id, type: 'order.created' });
    } finally {
      chat.close();
      await client.close();
    }
  });

  it("keeps the host's own ws gateway working when the host uses WsAdapter", async () => {
    const host = await bootHost({ chatGateway: true, adapter: 'ws' });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');
    const chat = await TestClient.connect(`${host.wsUrl}/chat`);
    chat.socket.send(JSON.stringify({ event: 'hello', data: 'host' }));
    expect((await chat.next('hello')).data).toBe('hello host');
    const order = await request(host.baseUrl, 'POST', '/orders');
    expect((await client.next('notification')).data).toMatchObject({ id: order.body.id });
    await Promise.all([chat.close(), client.close()]);
  });

  it("serves its REST routes under the host's global prefix, and the WebSocket on its own path", async () => {
    const host = await bootHost({ globalPrefix: 'api' });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    expect((await send(host.baseUrl, ops, { userIds: ['buyer'], title: 'unprefixed' })).status).toBe(404);
    const sent = await request(host.baseUrl, 'POST', '/api/notifications', { token: ops, body: { userIds: ['buyer'], type: 't', title: 'prefixed' } });
    expect(sent.status).toBe(201);
    expect((await client.next('notification')).data.title).toBe('prefixed');
    const listed = await request(host.baseUrl, 'GET', '/api/notifications', { token: tokenFor('buyer') });
    expect(listed.body.items.map((item: { title: string }) => item.title)).toEqual(['prefixed']);
    await client.close();
  });

  it('mounts its REST routes under a RouterModule path, out of the way of the host\'s own', async () => {
    const host = await bootHost({ routerPath: 'notify' });
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const sent = await request(host.baseUrl, 'POST', '/notify/notifications', { token: ops, body: { userIds: ['buyer'], type: 't', title: 'mounted' } });
    expect(sent.status).toBe(201);
    expect((await request(host.baseUrl, 'GET', '/notify/notifications/unread-count', { token: tokenFor('buyer') })).body).toEqual({ count: 1 });
    expect((await request(host.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor('buyer') })).status).toBe(404);
  });

  it('refuses hostile send bodies with a 400 behind the host\'s own body parser (audit 2, 3)', async () => {
    const host = await bootHost();
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const post = (extra: string) =>
      request(host.baseUrl, 'POST', '/notifications', {
        token: ops,
        rawBody: `{"userIds":["hostile"],"type":"t","title":"t",${extra}}`,
        headers: { 'content-type': 'application/json' },
      });
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const tooDeep = { status: 400, body: { message: expect.stringMatching(/nest.*32 levels/) } };
    // Express parses these (V8's JSON.parse is iterative); the module's own checks must not recurse through them.
    expect(await post(`"data":{"a":${deep(5000)}}`)).toMatchObject(tooDeep);
    expect(await post(`"sneaky":${deep(30000)}`)).toMatchObject(tooDeep);
    expect(await post(`"__proto__":{"a":1}`)).toMatchObject({ status: 400, body: { message: ['property __proto__ should not exist'] } });
    expect(await post(`"hasOwnProperty":1`)).toMatchObject({ status: 400, body: { message: ['property hasOwnProperty should not exist'] } });
    expect((await request(host.baseUrl, 'GET', '/notifications', { token: tokenFor('hostile') })).body.items).toEqual([]);
  });

  it("lets the host's policy decide who may join a topic: a user cannot join a restricted one by themself", async () => {
    const host = await bootHost({ senderPolicy: new RestrictedTopicsPolicy() });
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const subscribe = (topic: string, userId: string, token: string) =>
      request(host.baseUrl, 'PUT', `/topics/${topic}/subscribers/${userId}`, { token });

    // Not the caller's to join: 404, as for anything not theirs, and nothing is stored.
    const refused = await subscribe('finance-admins', 'alice', tokenFor('alice'));
    expect(refused.status).toBe(404);
    expect(refused.body.message).not.toMatch(/finance/);
    expect((await send(host.baseUrl, ops, { topic: 'finance-admins', title: 'Q4 payroll' })).body.recipients).toBe(0);

    // The policy's own yes: a sender adds her; an open topic she joins by herself.
    expect((await subscribe('finance-admins', 'alice', ops)).status).toBe(204);
    expect((await subscribe('lunch', 'alice', tokenFor('alice'))).status).toBe(204);
    expect((await send(host.baseUrl, ops, { topic: 'finance-admins', title: 'Q4 payroll' })).body.recipients).toBe(1);
    // Someone else's subscription, not being a sender: 403 as before.
    expect((await subscribe('lunch', 'carol', tokenFor('bob'))).status).toBe(403);
  });

  it('keeps the default topic rule for a policy without canSubscribe: a user themself, a sender anyone', async () => {
    const host = await bootHost();
    const subscribe = (userId: string, token: string) => request(host.baseUrl, 'PUT', `/topics/finance-admins/subscribers/${userId}`, { token });
    expect((await subscribe('alice', tokenFor('alice'))).status).toBe(204);
    expect((await subscribe('bob', tokenFor('ops-bot', { claims: { roles: ['ops'] } }))).status).toBe(204);
    expect((await subscribe('carol', tokenFor('alice', { scope: 'notifications:send' }))).status).toBe(403);
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

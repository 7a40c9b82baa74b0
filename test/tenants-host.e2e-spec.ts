import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { WsAdapter } from '@nestjs/platform-ws';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  MappedNotification,
  NotificationActionedEvent,
  NotificationCreatedEvent,
  NotificationLifecycleEvents,
  NotificationReadEvent,
  NOTIFICATIONS_ENTITIES,
  NOTIFICATIONS_MIGRATIONS,
  NotificationsModule,
  NotificationsService,
  NotifyOn,
  TenantEvent,
  TopicSubscriptions,
} from '../src/index';
import { temporaryDirectory } from './support/test-server';
import { TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

class InvoicePaid {
  constructor(
    readonly tenantId: string,
    readonly customerId: string,
  ) {}
}

@Injectable()
class InvoiceNotifications {
  @NotifyOn(InvoicePaid)
  paid(event: InvoicePaid): MappedNotification {
    return { tenantId: event.tenantId, userIds: [event.customerId], type: 'invoice.paid', title: 'Paid' };
  }
}

@Injectable()
class HeardEvents {
  readonly created: Array<TenantEvent<NotificationCreatedEvent>> = [];
  readonly read: Array<TenantEvent<NotificationReadEvent>> = [];
  readonly actioned: Array<TenantEvent<NotificationActionedEvent>> = [];

  @OnEvent(NotificationLifecycleEvents.Created)
  onCreated(event: TenantEvent<NotificationCreatedEvent>) {
    this.created.push(event);
  }

  @OnEvent(NotificationLifecycleEvents.Read)
  onRead(event: TenantEvent<NotificationReadEvent>) {
    this.read.push(event);
  }

  @OnEvent(NotificationLifecycleEvents.Actioned)
  onActioned(event: TenantEvent<NotificationActionedEvent>) {
    this.actioned.push(event);
  }
}

const token = (tenant: string, sub = 'u1') => tokenFor(sub, { claims: { org: tenant } });

/** Host code with tenancy: it names the tenant of each call; its events name it and carry plain ids. */
describe('Tenants in a host app', () => {
  const directory = temporaryDirectory();
  let app: Awaited<ReturnType<typeof NestFactory.create>>;
  let wsUrl: string;

  beforeAll(async () => {
    @Module({
      imports: [
        EventEmitterModule.forRoot(),
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: join(directory.path, 'tenants.sqlite'),
          entities: NOTIFICATIONS_ENTITIES,
          migrations: NOTIFICATIONS_MIGRATIONS,
          migrationsRun: true,
        }),
        NotificationsModule.forRoot({ jwt: { secret: TEST_SECRET }, tenancy: { claim: 'org' }, timing: { schedulePollMs: 50 } }),
      ],
      providers: [InvoiceNotifications, HeardEvents],
    })
    class HostModule {}
    app = await NestFactory.create(HostModule, { logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    directory.remove();
  });

  it('sends into the tenant it names, subscribes within it, and refuses a call without one', async () => {
    const [acme, globex] = [await TestClient.open(wsUrl, token('acme')), await TestClient.open(wsUrl, token('globex'))];
    const notifications = app.get(NotificationsService);
    const topics = app.get(TopicSubscriptions);

    await expect(notifications.send({ userIds: ['u1'], type: 'a', title: 'No tenant' })).rejects.toThrow(/tenantId must be/);
    await expect(topics.subscribe('news', 'u1')).rejects.toThrow(/tenantId must be/);
    expect(await notifications.send({ userIds: ['u1'], type: 'a', title: 'To acme' }, { tenantId: 'acme' })).toMatchObject({ online: 1 });
    await topics.subscribe('news', 'u1', { tenantId: 'globex' });
    expect(await notifications.send({ topic: 'news', type: 'a', title: 'News of globex' }, { tenantId: 'globex' })).toMatchObject({
      recipients: 1,
    });
    expect(await notifications.send({ topic: 'news', type: 'a', title: 'News of acme' }, { tenantId: 'acme' })).toMatchObject({
      recipients: 0,
    });
    app.get(EventEmitter2).emit('InvoicePaid', new InvoicePaid('globex', 'u1'));

    await acme.next('notification');
    await globex.waitFor('notification', 2);
    await Promise.all([acme.roundTrip(), globex.roundTrip()]);
    expect(acme.all('notification').map((frame) => frame.data.title)).toEqual(['To acme']);
    expect(globex.all('notification').map((frame) => frame.data.title)).toEqual(['News of globex', 'Paid']);
    expect(globex.all('notification')[0].data.topic).toBe('news');
    await Promise.all([acme.close(), globex.close()]);
  });

  it('gives lifecycle listeners the tenant and the ids as the tenant names them', async () => {
    const heard = app.get(HeardEvents);
    const reader = await TestClient.open(wsUrl, token('initech', 'reader'));
    const notifications = app.get(NotificationsService);
    const sent = await notifications.send({ userIds: ['reader'], type: 'a', title: 'Read me' }, { tenantId: 'initech', senderId: 'boss' });
    await reader.next('notification');
    reader.send('read', { ids: [sent.id] });
    await reader.next('unread');
    await reader.close();

    const created = heard.created.find((event) => event.notification.id === sent.id);
    expect(created).toBeInstanceOf(NotificationCreatedEvent);
    expect(created).toMatchObject({ tenantId: 'initech', senderId: 'boss', audience: { kind: 'users', userIds: ['reader'] } });
    expect(heard.read.find((event) => event.notificationIds?.includes(sent.id))).toMatchObject({ tenantId: 'initech', userId: 'reader' });
    // No stored key (`<tenant number>:<id>`) in what host code heard.
    expect(JSON.stringify([...heard.created, ...heard.read])).not.toMatch(/"\d+:/);
  });

  it('names the tenant and the user as the tenant names them in notifications.actioned', async () => {
    const notifications = app.get(NotificationsService);
    const actions = [{ id: 'approve', label: 'Approve' }];
    const sent = await notifications.send({ userIds: ['approver'], type: 'a', title: 'Approve?', actions }, { tenantId: 'initech' });
    // Host code acts for the user as the tenant names them, naming the tenant.
    await notifications.takeAction('approver', sent.id, 'approve', { tenantId: 'initech' });
    const heard = app.get(HeardEvents).actioned.find((event) => event.notification.id === sent.id);
    expect(heard).toMatchObject({ tenantId: 'initech', tenant: 'initech', userId: 'approver', actionId: 'approve' });
  });
});

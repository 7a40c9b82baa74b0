import { ConsoleLogger, Controller, Injectable, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { WsAdapter } from '@nestjs/platform-ws';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  domainEventName,
  NotificationArchivedEvent,
  NotificationCreatedEvent,
  NotificationDeliveredEvent,
  NotificationLifecycleEvents,
  NotificationReadEvent,
  NotificationReleasedEvent,
  NOTIFICATIONS_ENTITIES,
  NotificationsService,
  NOTIFICATIONS_MIGRATIONS,
  NotificationsModule,
  NotifyOn,
  SendNotificationInput,
} from '../src/index';
import { DataSource } from 'typeorm';
import { request } from './support/http';
import { temporaryDirectory } from './support/test-server';
import { TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
  ) {}
}

class PaymentFailed {
  static readonly eventName = 'payments.failed';
  constructor(readonly customerId: string) {}
}

class NothingToSay {}

@Injectable()
class OrderNotifications {
  @NotifyOn(OrderShipped)
  shipped(event: OrderShipped): SendNotificationInput {
    return { userIds: [event.customerId], type: 'order.shipped', title: 'Shipped', data: { orderId: event.orderId } };
  }

  @NotifyOn(PaymentFailed)
  async paymentFailed(): Promise<SendNotificationInput> {
    throw new Error('the template is broken');
  }

  @NotifyOn(NothingToSay)
  nothing(): null {
    return null;
  }
}

@Controller('orders')
class OrdersController {
  constructor(private readonly events: EventEmitter2) {}

  @Post('ship')
  ship() {
    this.events.emit(domainEventName(OrderShipped), new OrderShipped('o-1', 'customer'));
    return { shipped: true };
  }

  @Post('fail')
  fail() {
    this.events.emit(domainEventName(PaymentFailed), new PaymentFailed('customer'));
    this.events.emit(domainEventName(NothingToSay), new NothingToSay());
    return { failed: true };
  }
}

/** Records what the host's own listeners hear of the module's lifecycle. */
@Injectable()
class AuditTrail {
  readonly heard: Array<{ name: string; payload: unknown }> = [];

  constructor(events: EventEmitter2) {
    for (const name of Object.values(NotificationLifecycleEvents)) {
      events.on(name, (payload: unknown) => this.heard.push({ name, payload }));
    }
  }
}

class RecordingLogger extends ConsoleLogger {
  readonly errors: string[] = [];
  error(message: unknown): void {
    this.errors.push(String(message));
  }
  log(): void {}
  warn(): void {}
}

describe('Domain events and lifecycle events', () => {
  const directory = temporaryDirectory();
  afterAll(() => directory.remove());

  /** Boots the host app on a SQLite file of its own; `schedulePollMs` as the module option. */
  async function bootHost(databaseName: string, schedulePollMs?: number) {
    @Module({
      imports: [
        EventEmitterModule.forRoot(),
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: join(directory.path, databaseName),
          entities: NOTIFICATIONS_ENTITIES,
          migrations: NOTIFICATIONS_MIGRATIONS,
          migrationsRun: true,
        }),
        NotificationsModule.forRoot({ jwt: { secret: TEST_SECRET }, timing: { schedulePollMs } }),
      ],
      controllers: [OrdersController],
      providers: [OrderNotifications, AuditTrail],
    })
    class HostModule {}

    const logger = new RecordingLogger();
    const app = await NestFactory.create(HostModule, { logger });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, logger, port, baseUrl: `http://127.0.0.1:${port}`, audit: app.get(AuditTrail) };
  }

  it('maps host events to notifications, logs a failing mapping with its event name, and emits lifecycle events', async () => {
    const { app, logger, port, baseUrl, audit } = await bootHost('events.sqlite');
    const customer = await TestClient.open(`ws://127.0.0.1:${port}`, tokenFor('customer'));

    try {
      expect((await request(baseUrl, 'POST', '/orders/ship')).status).toBe(201);
      const { data: notification } = await customer.next('notification');
      expect(notification).toMatchObject({ type: 'order.shipped', data: { orderId: 'o-1' } });

      expect((await request(baseUrl, 'POST', '/orders/fail')).status).toBe(201);
      const failure = () => logger.errors.find((message) => message.includes('payments.failed'));
      await customer.roundTrip();
      for (let attempt = 0; !failure() && attempt < 50; attempt++) await customer.roundTrip();
      expect(failure()).toMatch(
        /Notifications for event "payments.failed" \(OrderNotifications.paymentFailed\) failed: the template is broken/,
      );

      customer.send('ack', { ids: [notification.id] });
      customer.send('read', { ids: [notification.id] });
      await customer.next('unread');
      await customer.waitFor('unread', 2);
      const archived = await request(baseUrl, 'DELETE', `/notifications/${notification.id}`, { token: tokenFor('customer') });
      expect(archived.status).toBe(204);

      expect(audit.heard.map((event) => event.name)).toEqual([
        'notifications.created',
        'notifications.delivered',
        'notifications.read',
        'notifications.archived',
      ]);
      const [created, delivered, read, archive] = audit.heard.map((event) => event.payload);
      expect(created).toBeInstanceOf(NotificationCreatedEvent);
      expect(created).toMatchObject({
        notification: { id: notification.id, type: 'order.shipped' },
        audience: { kind: 'users', userIds: ['customer'] },
        recipients: 1,
        online: 1,
        senderId: null,
      });
      expect(delivered).toEqual(new NotificationDeliveredEvent('customer', [notification.id], 1));
      expect(read).toEqual(new NotificationReadEvent('customer', [notification.id], 1));
      expect(archive).toEqual(new NotificationArchivedEvent('customer', notification.id));
      // Only the one mapped notification was sent: the failing and the null mapping sent nothing.
      const inbox = await request(baseUrl, 'GET', '/notifications', { token: tokenFor('customer') });
      expect(inbox.body.items).toEqual([]);
    } finally {
      await customer.close();
      await app.close();
    }
  });

  describe('a held (deliverAt) send', () => {
    it('emits created at scheduling (held, the reach the send answered, none online), then released when due with the real reach', async () => {
      const { app, port, audit } = await bootHost('held.sqlite', 50);
      const planner = await TestClient.open(`ws://127.0.0.1:${port}`, tokenFor('planner'));
      try {
        const releasedEvent = app.get(EventEmitter2).waitFor(NotificationLifecycleEvents.Released, 5000);
        const deliverAt = new Date(Date.now() + 300).toISOString();
        const notifications = app.get(NotificationsService);
        const sent = await notifications.send({ userIds: ['planner', 'offline'], type: 'standup', title: 'Stand-up', deliverAt });
        expect(sent).toMatchObject({ recipients: 2, online: 0 });
        expect(audit.heard.map((event) => event.name)).toEqual(['notifications.created']);
        expect(audit.heard[0].payload).toMatchObject({ notification: { id: sent.id }, recipients: 2, online: 0, deliverAt, held: true });

        expect((await planner.next('notification')).data.id).toBe(sent.id);
        const [released] = await releasedEvent;
        expect(released).toBeInstanceOf(NotificationReleasedEvent);
        expect(released).toMatchObject({
          notification: { id: sent.id, type: 'standup' },
          audience: { kind: 'users', userIds: ['planner', 'offline'] },
          recipients: 2,
          online: 1,
          expired: false,
        });

        // A deliverAt already past is no hold: created says so, and no release follows.
        const past = new Date(Date.now() - 60_000).toISOString();
        const atOnce = await notifications.send({ userIds: ['planner'], type: 'late', title: 'Late', deliverAt: past });
        await planner.waitFor('notification', 2);
        expect(audit.heard.map((event) => event.name)).toEqual([
          'notifications.created',
          'notifications.released',
          'notifications.created',
        ]);
        expect(audit.heard[2].payload).toMatchObject({ notification: { id: atOnce.id }, online: 1, deliverAt: past, held: false });
      } finally {
        await planner.close();
        await app.close();
      }
    });

    it('emits released with expired: true and reaches no one when its TTL ran out while it was held', async () => {
      const { app, port, audit } = await bootHost('held-expired.sqlite', 50);
      const planner = await TestClient.open(`ws://127.0.0.1:${port}`, tokenFor('planner'));
      try {
        const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
        const sent = await app
          .get(NotificationsService)
          .send({ userIds: ['planner'], type: 'standup', title: 'Stand-up', deliverAt: inAnHour, ttlSeconds: 60 });
        // As if the server had been down from before deliverAt until after the TTL: both times move into the past.
        const releasedEvent = app.get(EventEmitter2).waitFor(NotificationLifecycleEvents.Released, 5000);
        const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
        const backdate = `UPDATE notifications SET deliver_at = ?, expires_at = ? WHERE id = ?`;
        await app.get(DataSource).query(backdate, [ago(10), ago(9), sent.id]);

        const [released] = await releasedEvent;
        expect(released).toMatchObject({ notification: { id: sent.id }, recipients: 0, online: 0, expired: true });
        await planner.roundTrip();
        expect(planner.all('notification')).toEqual([]);
        expect(audit.heard.map((event) => event.name)).toEqual(['notifications.created', 'notifications.released']);
      } finally {
        await planner.close();
        await app.close();
      }
    });
  });
});

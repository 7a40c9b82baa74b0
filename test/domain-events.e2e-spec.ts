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
  NOTIFICATIONS_ENTITIES,
  NOTIFICATIONS_MIGRATIONS,
  NotificationsModule,
  NotifyOn,
  SendNotificationInput,
} from '../src/index';
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

  it('maps host events to notifications, logs a failing mapping with its event name, and emits lifecycle events', async () => {
    @Module({
      imports: [
        EventEmitterModule.forRoot(),
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: join(directory.path, 'events.sqlite'),
          entities: NOTIFICATIONS_ENTITIES,
          migrations: NOTIFICATIONS_MIGRATIONS,
          migrationsRun: true,
        }),
        NotificationsModule.forRoot({ jwt: { secret: TEST_SECRET } }),
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
    const baseUrl = `http://127.0.0.1:${port}`;
    const audit = app.get(AuditTrail);
    const customer = await TestClient.open(`ws://127.0.0.1:${port}`, tokenFor('customer'));

    try {
      expect((await request(baseUrl, 'POST', '/orders/ship')).status).toBe(201);
      const { data: notification } = await customer.next('notification');
      expect(notification).toMatchObject({ type: 'order.shipped', data: { orderId: 'o-1' } });

      expect((await request(baseUrl, 'POST', '/orders/fail')).status).toBe(201);
      const failure = () => logger.errors.find((message) => message.includes('payments.failed'));
      await customer.roundTrip();
      for (let attempt = 0; !failure() && attempt < 50; attempt++) await customer.roundTrip();
      expect(failure()).toMatch(/Notifications for event "payments.failed" \(OrderNotifications.paymentFailed\) failed: the template is broken/);

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
});

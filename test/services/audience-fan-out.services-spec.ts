import { ResolvedOptions } from '../../src/config/resolved-options';
import { DataSource } from 'typeorm';
import { SendPipeline } from '../../src/notifications/send-pipeline';
import { AUDIENCE_PAGE_SIZE } from '../../src/persistence/audience.store';
import { BroadcastInbox } from '../../src/notifications/broadcast-inbox';
import { DeliveryMessage, NotificationDelivery } from '../../src/delivery/delivery-bus';
import { InProcessDeliveryBus } from '../../src/delivery/in-process-delivery-bus';
import { NotificationLifecycle } from '../../src/notifications/notification-lifecycle';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { UnitOfWork } from '../../src/persistence/unit-of-work';
import { CountingLogger } from '../support/counting-logger';
import { createDatabase, migratedDataSource } from './support/services';
import { TenantDirectory } from '../../src/persistence/tenant-directory';
import { TenantKeys } from '../../src/notifications/tenant-keys';

/**
 * Large audiences on PostgreSQL, where every inbox write takes the inbox locks: a topic of
 * 50,000 subscribers (more users than PostgreSQL could hold advisory locks for, one each),
 * bounded statements, and live deliveries that carry each recipient's previous cursor.
 */
describe('Fan-out to large audiences on PostgreSQL', () => {
  const SUBSCRIBERS = 50_000;
  const userAt = (index: number) => `user-${String(index).padStart(5, '0')}`;
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let dataSource: DataSource;
  let queries: CountingLogger;
  let bus: InProcessDeliveryBus;
  let published: DeliveryMessage[];
  let sender: SendPipeline;
  let broadcasts: BroadcastInbox;
  let notifications: NotificationsService;

  beforeAll(async () => {
    database = await createDatabase();
    queries = new CountingLogger();
    dataSource = await migratedDataSource(database.url, queries);
    await dataSource.query(
      `INSERT INTO notification_topic_subscriptions (topic, user_id, created_at)
       SELECT 'big', 'user-' || lpad(i::text, 5, '0'), '2026-01-01T00:00:00.000Z' FROM generate_series(0, $1 - 1) AS i`,
      [SUBSCRIBERS],
    );
    bus = new InProcessDeliveryBus();
    bus.subscribe((message) => published.push(message));
    const unitOfWork = new UnitOfWork(dataSource);
    const lifecycle = new NotificationLifecycle();
    const keys = new TenantKeys(new ResolvedOptions(), new TenantDirectory(unitOfWork));
    sender = new SendPipeline(unitOfWork, bus, lifecycle, new ResolvedOptions(), keys);
    broadcasts = new BroadcastInbox(unitOfWork, bus, new ResolvedOptions(), keys);
    notifications = new NotificationsService(unitOfWork, bus, sender, broadcasts, lifecycle, new ResolvedOptions(), keys);
  });

  beforeEach(() => (published = []));

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const deliveries = () => published.filter((message): message is NotificationDelivery => message.kind === 'notification');

  it('sends to a topic of 50,000 with one lock statement per send and two statements per page', async () => {
    const online = Array.from({ length: SUBSCRIBERS / 100 }, (_, index) => userAt(index * 100));
    for (const userId of online) bus.sessionOpened(userId);
    const earlier = await notifications.send({ userIds: [online[1]], type: 't', title: 'before the topic send' });
    const [earlierCursor] = deliveries().flatMap((delivery) => delivery.recipients.map((recipient) => recipient.cursor));
    published = [];

    queries.count = 0;
    const result = await sender.send({ topic: 'big', type: 't', title: 'to all' });
    expect(result).toEqual({ id: expect.any(String), recipients: SUBSCRIBERS, online: online.length, suppressed: 0 });
    const pages = SUBSCRIBERS / AUDIENCE_PAGE_SIZE;
    // The transaction (2), the notification, the inbox lock, the subscriber count; per page the
    // INSERT … SELECT and one unread count; the empty page that ends it. SQLite does the same without the lock.
    expect(queries.count).toBeLessThanOrEqual(5 + 2 * pages + 1);

    const recipients = deliveries().flatMap((delivery) => delivery.recipients);
    expect(recipients.map((recipient) => recipient.userId).sort()).toEqual([...online].sort());
    const previous = new Map(recipients.map((recipient) => [recipient.userId, recipient.previousCursor]));
    expect(previous.get(online[1])).toBe(earlierCursor);
    expect(previous.get(online[2])).toBe('0');
    expect(earlier.recipients).toBe(1);
    for (const userId of online) bus.sessionClosed(userId);
  });

  it('claims a broadcast for connected users with one lock statement per batch, carrying previous cursors', async () => {
    const connected = Array.from({ length: 2000 }, (_, index) => userAt(index));
    const result = await sender.send({ broadcast: true, type: 't', title: 'everyone' });

    queries.count = 0;
    await broadcasts.deliverTo(result.id, connected);
    const batches = connected.length / AUDIENCE_PAGE_SIZE;
    // The broadcast's content; per batch: the transaction (2), the lock, insert, select cursors, unread counts.
    expect(queries.count).toBeLessThanOrEqual(1 + 6 * batches);
    const recipients = deliveries().flatMap((delivery) => delivery.recipients);
    expect(recipients).toHaveLength(connected.length);
    // Each already has the topic send: its cursor there is their previous one.
    for (const recipient of recipients) {
      expect(Number(recipient.previousCursor)).toBeGreaterThan(0);
      expect(Number(recipient.previousCursor)).toBeLessThan(Number(recipient.cursor));
    }
  });
});

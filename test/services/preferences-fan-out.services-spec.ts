import { DataSource } from 'typeorm';
import { ResolvedOptions } from '../../src/config/resolved-options';
import { DeliveryMessage, NotificationDelivery } from '../../src/delivery/delivery-bus';
import { InProcessDeliveryBus } from '../../src/delivery/in-process-delivery-bus';
import { NotificationLifecycle } from '../../src/notifications/notification-lifecycle';
import { SendPipeline } from '../../src/notifications/send-pipeline';
import { AUDIENCE_PAGE_SIZE } from '../../src/persistence/audience.store';
import { UnitOfWork } from '../../src/persistence/unit-of-work';
import { CountingLogger } from '../support/counting-logger';
import { createDatabase, migratedDataSource } from './support/services';
import { TenantDirectory } from '../../src/persistence/tenant-directory';
import { TenantKeys } from '../../src/notifications/tenant-keys';

/**
 * Preferences at scale on PostgreSQL: a topic of 10,000 subscribers, half of whom switched
 * in-app off in one of three ways. The decision is taken inside the insert statements, so the
 * statement count follows the pages written, never the recipients.
 */
describe('Preferences on a large topic, PostgreSQL', () => {
  const SUBSCRIBERS = 10_000;
  const userAt = (index: number) => `user-${String(index).padStart(5, '0')}`;
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let dataSource: DataSource;
  let queries: CountingLogger;
  let bus: InProcessDeliveryBus;
  let published: DeliveryMessage[];
  let sender: SendPipeline;

  beforeAll(async () => {
    database = await createDatabase();
    queries = new CountingLogger();
    dataSource = await migratedDataSource(database.url, queries);
    const user = `'user-' || lpad(i::text, 5, '0')`;
    await dataSource.query(
      `INSERT INTO notification_topic_subscriptions (topic, user_id, created_at)
       SELECT 'half', ${user}, '2026-01-01T00:00:00.000Z' FROM generate_series(0, $1 - 1) AS i`,
      [SUBSCRIBERS],
    );
    // Odd users are off: by the topic (i % 4 = 1), by their channels (i % 4 = 3). Even users
    // with i % 4 = 2 are off for the prefix but on for the exact type, which decides first.
    // Rules are not under test here: written directly, in bulk.
    await dataSource.query(
      `INSERT INTO notification_in_app_rules (user_id, precedence, key, in_app)
       SELECT ${user}, 2, 'half', 0 FROM generate_series(0, $1 - 1) AS i WHERE i % 4 = 1
       UNION ALL SELECT ${user}, 3, '', 0 FROM generate_series(0, $1 - 1) AS i WHERE i % 4 = 3
       UNION ALL SELECT ${user}, 1, 'report.', 0 FROM generate_series(0, $1 - 1) AS i WHERE i % 4 = 2
       UNION ALL SELECT ${user}, 0, 'report.weekly', 1 FROM generate_series(0, $1 - 1) AS i WHERE i % 4 = 2`,
      [SUBSCRIBERS],
    );
    bus = new InProcessDeliveryBus();
    bus.subscribe((message) => published.push(message));
    const unitOfWork = new UnitOfWork(dataSource);
    const keys = new TenantKeys(new ResolvedOptions(), new TenantDirectory(unitOfWork));
    sender = new SendPipeline(unitOfWork, bus, new NotificationLifecycle(), new ResolvedOptions(), keys);
  });

  beforeEach(() => (published = []));

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const liveRecipients = () =>
    published
      .filter((message): message is NotificationDelivery => message.kind === 'notification')
      .flatMap((message) => message.recipients.map((recipient) => recipient.userId));
  const rowsOf = async (id: string) =>
    (await database.query(`SELECT user_id FROM notification_recipients WHERE notification_id = $1 ORDER BY user_id`, [id])).map(
      (row: { user_id: string }) => row.user_id,
    );
  const evenUsers = Array.from({ length: SUBSCRIBERS / 2 }, (_, index) => userAt(index * 2));

  it('stores it for the half that allow it and counts the other half, in statements per page, not per recipient', async () => {
    const online = Array.from({ length: 100 }, (_, index) => userAt(index * 100 + (index % 2)));
    for (const userId of online) bus.sessionOpened(userId);

    queries.count = 0;
    const result = await sender.send({ topic: 'half', type: 'report.weekly', title: 'Weekly report' });
    expect(result).toEqual({ id: expect.any(String), recipients: SUBSCRIBERS / 2, online: 50, suppressed: SUBSCRIBERS / 2 });
    const pages = SUBSCRIBERS / 2 / AUDIENCE_PAGE_SIZE;
    // The transaction (2), the notification, the inbox lock, the subscriber count, the suppressed
    // count stored for the audit; per page the INSERT … SELECT and one unread count; the empty
    // page that ends it.
    expect(queries.count).toBeLessThanOrEqual(6 + 2 * pages + 1);

    expect(await rowsOf(result.id)).toEqual(evenUsers);
    expect(liveRecipients().sort()).toEqual(online.filter((userId) => Number(userId.slice(-1)) % 2 === 0).sort());
    for (const userId of online) bus.sessionClosed(userId);
  });

  it('lets the prefix decide where no exact entry does, and a critical send reach all 10,000', async () => {
    const monthly = await sender.send({ topic: 'half', type: 'report.monthly', title: 'Monthly report' });
    // Users with i % 4 = 2 now fall to their prefix rule: a quarter more are off.
    expect(monthly).toMatchObject({ recipients: SUBSCRIBERS / 4, suppressed: (SUBSCRIBERS * 3) / 4 });
    expect((await rowsOf(monthly.id)).every((userId) => Number(userId.slice(-2)) % 4 === 0)).toBe(true);

    const critical = await sender.send({ topic: 'half', type: 'report.weekly', title: 'Outage', critical: true });
    expect(critical).toMatchObject({ recipients: SUBSCRIBERS, suppressed: 0 });
    expect(await rowsOf(critical.id)).toHaveLength(SUBSCRIBERS);
  });

  it('skips them in the one-round-trip send to users too, where a topic rule has no say', async () => {
    const userIds = Array.from({ length: 1000 }, (_, index) => userAt(index));
    bus.sessionOpened(userIds[0]);
    bus.sessionOpened(userIds[3]);
    const result = await sender.send({ userIds, type: 'report.weekly', title: 'To a list' });
    // Only the users whose channels are off (i % 4 = 3): the others' topic rule is for topic sends.
    expect(result).toEqual({ id: expect.any(String), recipients: 750, online: 1, suppressed: 250 });
    expect(await rowsOf(result.id)).toEqual(userIds.filter((_, index) => index % 4 !== 3));
    expect(liveRecipients()).toEqual([userIds[0]]);
    bus.sessionClosed(userIds[0]);
    bus.sessionClosed(userIds[3]);
  });
});

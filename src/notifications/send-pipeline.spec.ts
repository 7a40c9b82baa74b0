import { DataSource } from 'typeorm';
import { CountingLogger } from '../../test/support/counting-logger';
import { NOTIFICATIONS_MIGRATIONS } from '../persistence/migrations';
import { SendPipeline } from './send-pipeline';
import { AudienceStore } from '../persistence/audience.store';
import { BroadcastInbox } from './broadcast-inbox';
import { DeliveryMessage, NotificationDelivery } from '../delivery/delivery-bus';
import { NOTIFICATIONS_ENTITIES } from '../persistence/entities';
import { InProcessDeliveryBus } from '../delivery/in-process-delivery-bus';
import { NotificationLifecycle } from './notification-lifecycle';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ResolvedOptions } from '../config/resolved-options';
import { TenantDirectory } from '../persistence/tenant-directory';
import { TenantKeys } from './tenant-keys';

describe(SendPipeline.name, () => {
  const AUDIENCE = 2000;
  const users = Array.from({ length: AUDIENCE }, (_, index) => `user-${index}`);
  let database: DataSource;
  let queries: CountingLogger;
  let bus: InProcessDeliveryBus;
  let published: DeliveryMessage[];
  let sender: SendPipeline;
  let broadcasts: BroadcastInbox;

  beforeEach(async () => {
    queries = new CountingLogger();
    database = new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: NOTIFICATIONS_ENTITIES,
      migrations: NOTIFICATIONS_MIGRATIONS,
      logging: true,
      logger: queries,
    });
    await database.initialize();
    await database.runMigrations();
    bus = new InProcessDeliveryBus();
    published = [];
    bus.subscribe((message) => published.push(message));
    const unitOfWork = new UnitOfWork(database);
    const keys = new TenantKeys(new ResolvedOptions(), new TenantDirectory(unitOfWork));
    sender = new SendPipeline(unitOfWork, bus, new NotificationLifecycle(), new ResolvedOptions(), keys);
    broadcasts = new BroadcastInbox(unitOfWork, bus, new ResolvedOptions(), keys);
  });
  afterEach(() => database.destroy());

  const liveRecipients = () =>
    published
      .filter((message): message is NotificationDelivery => message.kind === 'notification')
      .flatMap((message) => message.recipients.map((recipient) => recipient.userId));

  it('sends to a large topic with a bounded number of statements, keeping only online users for live delivery', async () => {
    const store = new AudienceStore();
    for (let start = 0; start < AUDIENCE; start += 500) {
      const page = users.slice(start, start + 500);
      await database.query(
        `INSERT INTO notification_topic_subscriptions (topic, user_id, created_at) VALUES ${page.map(() => `('big', ?, 'x')`).join(', ')}`,
        page,
      );
    }
    expect(await store.countSubscribers(database.manager, 'big')).toBe(AUDIENCE);
    const online = users.filter((_, index) => index % 4 === 0);
    for (const userId of online) bus.sessionOpened(userId);

    queries.count = 0;
    const result = await sender.send({ topic: 'big', type: 't', title: 'hi' });
    expect(result).toEqual({ id: expect.any(String), recipients: AUDIENCE, online: online.length, suppressed: 0 });
    // Per page of 500: the INSERT … SELECT and one unread count; plus the transaction, the notification
    // and the subscriber count (for `suppressed`).
    // (PostgreSQL adds one inbox lock statement per send: test/services/audience-fan-out.services-spec.ts.)
    expect(queries.count).toBeLessThanOrEqual(5 + 2 * (AUDIENCE / 500 + 1));
    expect(published).toHaveLength(AUDIENCE / 500);
    expect(liveRecipients().sort()).toEqual([...online].sort());
  });

  it('stores a broadcast once and fills the inboxes of connected users a batch at a time', async () => {
    for (const userId of users) bus.sessionOpened(userId);
    const result = await sender.send({ broadcast: true, type: 't', title: 'all' });
    expect(result).toEqual({ id: expect.any(String), recipients: AUDIENCE, online: AUDIENCE, suppressed: 0 });
    expect(published).toEqual([{ kind: 'broadcast', notificationId: result.id }]);
    const [{ rows }] = await database.query(`SELECT COUNT(*) AS rows FROM notification_recipients`);
    expect(rows).toBe(0);

    queries.count = 0;
    await broadcasts.deliverTo(result.id, users);
    // Per batch of 500: insert, select cursors, unread counts, and the transaction around them
    // (and on PostgreSQL the inbox lock: test/services/audience-fan-out.services-spec.ts).
    expect(queries.count).toBeLessThanOrEqual(1 + 5 * (AUDIENCE / 500));
    expect(liveRecipients().sort()).toEqual([...users].sort());
    const [{ inboxes }] = await database.query(`SELECT COUNT(*) AS inboxes FROM notification_recipients`);
    expect(inboxes).toBe(AUDIENCE);
  });

  it('releases due notifications like a fresh send, but never one that expired while held', async () => {
    const store = new AudienceStore();
    const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const held = (id: string, expiresAt: string | null) => ({
      id,
      type: 't',
      title: id,
      body: null,
      data: null,
      priority: 'normal' as const,
      topic: null,
      createdAt: past(10),
      expiresAt,
      critical: false,
      actions: [],
      groupKey: null,
    });
    const audience = { kind: 'users' as const, userIds: ['u1'] };
    bus.sessionOpened('u1');
    await store.insertNotification(database.manager, held('expired', past(5)), null, audience, past(10), true);
    await store.insertNotification(database.manager, held('due', null), null, audience, past(1), true);

    expect(await sender.releaseDue(10)).toBe(1);
    expect(published).toEqual([expect.objectContaining({ kind: 'notification', notification: expect.objectContaining({ id: 'due' }) })]);
    const rows = await database.query(`SELECT notification_id FROM notification_recipients`);
    expect(rows).toEqual([{ notification_id: 'due' }]);
    expect(await sender.releaseDue(10)).toBe(0);
  });

  it('refuses a deliverAt that is not a date', async () => {
    await expect(sender.send({ userIds: ['u1'], type: 't', title: 't', deliverAt: 'someday' })).rejects.toThrow(
      'deliverAt must be a valid date-time',
    );
  });
});

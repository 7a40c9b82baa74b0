import { ResolvedOptions } from '../config/resolved-options';
import { DataSource } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { SendPipeline } from './send-pipeline';
import { BroadcastInbox } from './broadcast-inbox';
import { InProcessDeliveryBus } from '../delivery/in-process-delivery-bus';
import { NotificationLifecycle } from './notification-lifecycle';
import { NotificationDeliveredEvent } from './notification-lifecycle.events';
import { NotificationsService } from './notifications.service';
import { UnitOfWork } from '../persistence/unit-of-work';
import { TenantDirectory } from '../persistence/tenant-directory';
import { TenantKeys } from './tenant-keys';

// Acks gather for timing.ackBatchMs and are stored together; a long window here makes what
// is waiting visible.
describe(`${NotificationsService.name}.acknowledge`, () => {
  let database: DataSource;
  let service: NotificationsService;
  let delivered: NotificationDeliveredEvent[];

  beforeEach(async () => {
    database = await migratedSqliteDatabase();
    const unitOfWork = new UnitOfWork(database);
    const bus = new InProcessDeliveryBus();
    const lifecycle = new NotificationLifecycle();
    delivered = [];
    jest.spyOn(lifecycle, 'delivered').mockImplementation((event) => void delivered.push(event));
    const options = new ResolvedOptions({ timing: { ackBatchMs: 60_000 } });
    const keys = new TenantKeys(options, new TenantDirectory(unitOfWork));
    service = new NotificationsService(
      unitOfWork,
      bus,
      new SendPipeline(unitOfWork, bus, lifecycle, options, keys),
      new BroadcastInbox(unitOfWork, bus, options, keys),
      lifecycle,
      options,
      keys,
    );
  });
  afterEach(() => database.destroy());

  const undelivered = async (userId: string) =>
    (
      await database.query(`SELECT COUNT(*) AS "count" FROM notification_recipients WHERE user_id = ? AND delivered_at IS NULL`, [userId])
    )[0].count as number;

  it('stores the acks of several users in one batch, each answered with its own count', async () => {
    const forAlice = await service.send({ userIds: ['alice'], type: 't', title: 'one' });
    const forBoth = await service.send({ userIds: ['alice', 'bob'], type: 't', title: 'two' });
    const alice = service.acknowledge('alice', [forAlice.id, forBoth.id]);
    const bob = service.acknowledge('bob', [forBoth.id, forAlice.id]);
    expect(await undelivered('alice')).toBe(2);

    await service.beforeApplicationShutdown();
    await expect(Promise.all([alice, bob])).resolves.toEqual([2, 1]);
    expect([await undelivered('alice'), await undelivered('bob')]).toEqual([0, 0]);
    expect(delivered.map(({ userId, count }) => [userId, count])).toEqual([
      ['alice', 2],
      ['bob', 1],
    ]);
  });

  it('stores acks still waiting for their window at shutdown', async () => {
    const sent = await service.send({ userIds: ['carol'], type: 't', title: 'one' });
    const ack = service.acknowledge('carol', [sent.id]);
    await service.beforeApplicationShutdown();
    await expect(ack).resolves.toBe(1);
    expect(await undelivered('carol')).toBe(0);
  });
});

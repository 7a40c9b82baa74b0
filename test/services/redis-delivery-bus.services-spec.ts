import { DeliveryMessage, NotificationDelivery } from '../../src/notifications/delivery-bus';
import { RedisDeliveryBus } from '../../src/notifications/redis-delivery-bus';
import { eventually } from './support/cluster';
import { deleteRedisKeys, freePort, REDIS_URL, startRedis, uniqueName } from './support/services';

function notificationFor(userIds: string[]): NotificationDelivery {
  return {
    kind: 'notification',
    notification: {
      id: 'n-1',
      type: 't',
      title: 'hello',
      body: null,
      data: null,
      priority: 'normal',
      topic: null,
      createdAt: new Date().toISOString(),
      expiresAt: null,
    },
    recipients: userIds.map((userId, index) => ({ userId, cursor: String(index + 1) })),
  };
}

/** A bus as a node runs it, recording what its transport receives. */
function startBus(url: string, keyPrefix: string) {
  const bus = new RedisDeliveryBus({ url, keyPrefix, heartbeatMs: 200 });
  // Notifications only: a fresh node also raises 'resync' for its sessions once it registers them.
  const received: DeliveryMessage[] = [];
  bus.subscribe((message) => message.kind !== 'resync' && received.push(message));
  bus.onModuleInit();
  return { bus, received };
}

describe(RedisDeliveryBus.name, () => {
  const keyPrefix = uniqueName();
  let nodes: ReturnType<typeof startBus>[];

  beforeAll(async () => {
    await startRedis();
    nodes = [startBus(REDIS_URL, keyPrefix), startBus(REDIS_URL, keyPrefix), startBus(REDIS_URL, keyPrefix)];
  });

  afterAll(async () => {
    await Promise.all(nodes.map(({ bus }) => bus.onApplicationShutdown()));
    await deleteRedisKeys(keyPrefix);
  });

  it('sends each node only the recipients it holds, and nothing to a node holding none', async () => {
    const [a, b, c] = nodes;
    b.bus.sessionOpened('held-by-b');
    c.bus.sessionOpened('held-by-c');
    await eventually(() => a.bus.onlineAmong(['held-by-b', 'held-by-c']), (online) => online.size === 2, 'registrations');

    a.bus.publish(notificationFor(['held-by-b', 'held-by-c', 'offline']));
    await eventually(async () => b.received.length + c.received.length, (count) => count === 2, 'both deliveries');
    expect((b.received[0] as NotificationDelivery).recipients.map((recipient) => recipient.userId)).toEqual(['held-by-b']);
    expect((c.received[0] as NotificationDelivery).recipients.map((recipient) => recipient.userId)).toEqual(['held-by-c']);
    expect(a.received).toEqual([]);
  });

  it('counts sessions on every node and forgets closed ones', async () => {
    const [a, b, c] = nodes;
    b.bus.sessionOpened('many-tabs');
    b.bus.sessionOpened('many-tabs');
    c.bus.sessionOpened('many-tabs');
    await eventually(() => a.bus.sessionCount('many-tabs'), (count) => count === 3, 'three sessions');
    b.bus.sessionClosed('many-tabs');
    b.bus.sessionClosed('many-tabs');
    await eventually(() => a.bus.sessionCount('many-tabs'), (count) => count === 1, 'one session');
    c.bus.sessionClosed('many-tabs');
    await eventually(() => a.bus.onlineAmong(['many-tabs']), (online) => online.size === 0, 'no session');
  });

  it('delivers on its own node and never throws while Redis cannot be reached', async () => {
    const { bus, received } = startBus(`redis://127.0.0.1:${await freePort()}`, keyPrefix);
    try {
      bus.sessionOpened('local-user');
      const message = notificationFor(['local-user', 'elsewhere']);
      expect(() => bus.publish(message)).not.toThrow();
      expect(received).toEqual([message]);
      expect(await bus.onlineAmong(['local-user', 'elsewhere'])).toEqual(new Set(['local-user']));
      expect(await bus.sessionCount('local-user')).toBe(1);
    } finally {
      await bus.onApplicationShutdown();
    }
  });
});

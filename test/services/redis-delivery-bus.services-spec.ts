import { DeliveryMessage, NotificationDelivery } from '../../src/delivery/delivery-bus';
import { Redis } from 'ioredis';
import { RedisDeliveryBus } from '../../src/redis/redis-delivery-bus';
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
      critical: false,
      actions: [],
      groupKey: null,
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
    await eventually(
      () => a.bus.onlineAmong(['held-by-b', 'held-by-c']),
      (online) => online.size === 2,
      'registrations',
    );

    a.bus.publish(notificationFor(['held-by-b', 'held-by-c', 'offline']));
    await eventually(
      async () => b.received.length + c.received.length,
      (count) => count === 2,
      'both deliveries',
    );
    expect((b.received[0] as NotificationDelivery).recipients.map((recipient) => recipient.userId)).toEqual(['held-by-b']);
    expect((c.received[0] as NotificationDelivery).recipients.map((recipient) => recipient.userId)).toEqual(['held-by-c']);
    expect(a.received).toEqual([]);
  });

  it('counts sessions on every node and forgets closed ones', async () => {
    const [a, b, c] = nodes;
    b.bus.sessionOpened('many-tabs');
    b.bus.sessionOpened('many-tabs');
    c.bus.sessionOpened('many-tabs');
    await eventually(
      () => a.bus.sessionCount('many-tabs'),
      (count) => count === 3,
      'three sessions',
    );
    b.bus.sessionClosed('many-tabs');
    b.bus.sessionClosed('many-tabs');
    await eventually(
      () => a.bus.sessionCount('many-tabs'),
      (count) => count === 1,
      'one session',
    );
    c.bus.sessionClosed('many-tabs');
    await eventually(
      () => a.bus.onlineAmong(['many-tabs']),
      (online) => online.size === 0,
      'no session',
    );
  });

  it('reserves sessions of a user racing on two nodes up to the limit and no further, and gives refused ones back', async () => {
    const [a, b] = nodes;
    const redis = new Redis(REDIS_URL);
    try {
      // Registrations count once their node's heartbeat is in Redis.
      for (const { bus } of [a, b]) {
        await eventually(
          () => redis.zscore(`${keyPrefix}:nodes`, bus.nodeId),
          (expires) => expires !== null,
          'the heartbeat',
        );
      }
      const attempts = [a, b].flatMap(({ bus }) => Array.from({ length: 5 }, () => bus.reserveSession('capped', 3)));
      expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(3);
      for (const { bus } of [a, b])
        await eventually(
          () => bus.sessionCount('capped'),
          (count) => count === 3,
          'three sessions',
        );
      expect(await a.bus.reserveSession('capped', 3)).toBe(false);
      expect(await b.bus.reserveSession('capped', 3)).toBe(false);
      expect(await a.bus.reserveSession('capped', 4)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  describe('onlineUserCount', () => {
    // Its own prefix: the other tests leave users registered under theirs.
    const countPrefix = uniqueName();
    const redis = new Redis(REDIS_URL);
    let a: RedisDeliveryBus;
    let b: RedisDeliveryBus;
    beforeAll(() => {
      [a, b] = [startBus(REDIS_URL, countPrefix).bus, startBus(REDIS_URL, countPrefix).bus];
    });
    afterAll(async () => {
      await Promise.all([a, b].map((bus) => bus.onApplicationShutdown()));
      await deleteRedisKeys(countPrefix);
      redis.disconnect();
    });
    const countIs = (expected: number, what: string) =>
      Promise.all(
        [a, b].map((bus) =>
          eventually(
            () => bus.onlineUserCount(),
            (count) => count === expected,
            what,
          ),
        ),
      );

    it('counts each user with a session on any node once, and forgets those who left', async () => {
      a.sessionOpened('two-nodes');
      b.sessionOpened('two-nodes');
      b.sessionOpened('two-nodes');
      b.sessionOpened('only-b');
      await countIs(2, 'two users online');
      a.sessionClosed('two-nodes');
      await eventually(
        () => a.sessionCount('two-nodes'),
        (count) => count === 2,
        'a to leave',
      );
      expect(await a.onlineUserCount()).toBe(2);
      b.sessionClosed('two-nodes');
      b.sessionClosed('two-nodes');
      await countIs(1, 'one user online');
      b.sessionClosed('only-b');
      await countIs(0, 'nobody online');
    });

    it("stops counting a dead node's users once a heartbeat removes it", async () => {
      a.sessionOpened('alive');
      // What a SIGKILLed node leaves behind: registrations, and a heartbeat that expired.
      await redis
        .multi()
        .zadd(`${countPrefix}:nodes`, Date.now() - 1, 'dead-node')
        .hset(`${countPrefix}:user:ghost`, 'dead-node', 1)
        .sadd(`${countPrefix}:node-users:dead-node`, 'ghost')
        .sadd(`${countPrefix}:online-users`, 'ghost')
        .exec();
      await countIs(1, "the dead node's user to stop counting");
      a.sessionClosed('alive');
      await countIs(0, 'nobody online');
    });

    it('drops sessions that closed while its connection was down when it registers again', async () => {
      b.sessionOpened('stays');
      await countIs(1, 'one user online');
      // A session the node no longer has, still registered (its close never reached Redis).
      await redis
        .multi()
        .hset(`${countPrefix}:user:left`, b.nodeId, 1)
        .sadd(`${countPrefix}:node-users:${b.nodeId}`, 'left')
        .sadd(`${countPrefix}:online-users`, 'left')
        .exec();
      expect(await a.onlineUserCount()).toBe(2);
      const clients = (await redis.client('LIST')) as string;
      const id = /id=(\d+) .*name=notifications-(\S+)/g;
      for (const match of clients.matchAll(id)) if (match[2] === b.nodeId) await redis.client('KILL', 'ID', match[1]);
      await countIs(1, 'the stale registration to go');
      expect(await a.onlineAmong(['stays', 'left'])).toEqual(new Set(['stays']));
      b.sessionClosed('stays');
      await countIs(0, 'nobody online');
    });
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
      expect(await bus.onlineUserCount()).toBe(1);
    } finally {
      await bus.onApplicationShutdown();
    }
  });
});

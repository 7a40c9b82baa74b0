import { Redis } from 'ioredis';
import { request } from '../support/http';
import { SseTestClient } from '../support/sse-client';
import { adminToken, tokenFor } from '../support/tokens';
import { rowsMentioning, storeUserData } from '../support/user-data-scenario';
import { Cluster, eventually, startCluster, TestClient, uniqueUser } from './support/cluster';
import { REDIS_URL } from './support/services';

/** Every Redis key under `prefix` whose name or content mentions `text`, with what it holds. */
async function redisKeysMentioning(redis: Redis, prefix: string, text: string): Promise<Record<string, unknown>> {
  const found: Record<string, unknown> = {};
  for (const key of await redis.keys(`${prefix}:*`)) {
    const type = await redis.type(key);
    const content =
      type === 'hash'
        ? await redis.hgetall(key)
        : type === 'set'
          ? await redis.smembers(key)
          : type === 'zset'
            ? await redis.zrange(key, 0, -1)
            : type === 'string'
              ? await redis.get(key)
              : type;
    if (key.includes(text) || JSON.stringify(content).includes(text)) found[key] = content;
  }
  return found;
}

/**
 * Erasing a user's data with several nodes: their sessions on another node close with 4403, and
 * afterwards neither PostgreSQL (every module table) nor Redis (presence and session counts)
 * holds anything of them but the revocation that refuses their old tokens.
 */
describe("Erasing a user's data on several nodes", () => {
  let cluster: Cluster;
  let redis: Redis;

  beforeAll(async () => {
    cluster = await startCluster(2);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  it('closes their sessions on every node with 4403 and leaves nothing of them in PostgreSQL or Redis', async () => {
    const [nodeA, nodeB] = cluster.nodes;
    const user = uniqueUser('erased');
    const other = uniqueUser('kept');
    await storeUserData(nodeA.baseUrl, user, other);
    const sockets = [await TestClient.open(nodeB.wsUrl, tokenFor(user)), await TestClient.open(nodeA.wsUrl, tokenFor(user))];
    const stream = await SseTestClient.connect(nodeB.baseUrl, tokenFor(user));
    const bystander = await TestClient.open(nodeB.wsUrl, tokenFor(other));
    await eventually(
      () => request(nodeA.baseUrl, 'GET', `/presence/${user}`, { token: adminToken() }),
      (response) => response.body.sessions === 3,
      'node A to see all three sessions',
    );
    expect(Object.keys(await redisKeysMentioning(redis, cluster.keyPrefix, user)).length).toBeGreaterThan(0);

    expect((await request(nodeA.baseUrl, 'DELETE', `/users/${user}/data`, { token: adminToken() })).status).toBe(204);

    expect(await Promise.all(sockets.map((socket) => socket.waitForClose()))).toEqual([4403, 4403]);
    expect((await stream.next('close')).data).toEqual({ code: 4403, reason: 'access revoked' });
    await eventually(
      () => redisKeysMentioning(redis, cluster.keyPrefix, user),
      (keys) => Object.keys(keys).length === 0,
      'Redis to hold nothing of the user',
    );
    expect(await rowsMentioning((sql) => cluster.database.query(sql), user)).toEqual({
      notification_revocations: [{ user_id: user, revoked_before: expect.any(String) }],
    });
    const exported = await request(nodeB.baseUrl, 'GET', `/users/${user}/data`, { token: adminToken() });
    expect(exported.body).toMatchObject({
      inbox: [],
      snoozedNotifications: [],
      heldNotifications: [],
      topicSubscriptions: [],
      idempotencyKeys: [],
      sentNotifications: [],
    });
    // The other user's sessions and inbox stay.
    await bystander.roundTrip();
    expect(bystander.closeCode).toBeUndefined();
    expect((await request(nodeB.baseUrl, 'GET', '/notifications', { token: tokenFor(other) })).body.items.length).toBeGreaterThan(0);
    await bystander.close();
    stream.close();
  });
});

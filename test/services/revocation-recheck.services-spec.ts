import { Redis } from 'ioredis';
import { request } from '../support/http';
import { SseTestClient } from '../support/sse-client';
import { adminToken, tokenFor } from '../support/tokens';
import { Cluster, eventually, startCluster, TestClient, uniqueUser } from './support/cluster';
import { PrivateRedis, startPrivateRedis } from './support/services';

/**
 * A revoke reaches other nodes' sessions as a bus message, which Redis may lose. Here Redis
 * loses its state (FLUSHALL on a Redis of this test's own: other suites share the machine's):
 * the revoking node finds no node holding the user and publishes to nobody.
 */
describe('Revocation when Redis loses its state', () => {
  let redis: PrivateRedis;
  let cluster: Cluster;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    cluster = await startCluster(2, { redisUrl: redis.url });
  });
  afterAll(async () => {
    await cluster?.stop();
    await redis?.stop();
  });

  it("closes the user's sessions on another node with 4403 although the revoke message was lost", async () => {
    const [nodeA, nodeB] = cluster.nodes;
    const user = uniqueUser('carl');
    const token = tokenFor(user);
    const socket = await TestClient.open(nodeB.wsUrl, token);
    const stream = await SseTestClient.connect(nodeB.baseUrl, token);
    const bystander = await TestClient.open(nodeB.wsUrl, tokenFor(uniqueUser('dora')));
    await eventually(
      () => request(nodeA.baseUrl, 'GET', `/presence/${user}`, { token: adminToken() }),
      (response) => response.body.sessions === 2,
      'node A to see both sessions on node B',
    );

    const flusher = new Redis(redis.url);
    await flusher.flushall();
    flusher.disconnect();
    expect((await request(nodeA.baseUrl, 'POST', `/users/${user}/revoke`, { token: adminToken() })).status).toBe(204);

    // Within two revocation intervals (5 s each) at most; sooner when node B resyncs with the emptied Redis.
    expect(await socket.waitForClose(15_000)).toBe(4403);
    expect((await stream.next('close', 15_000)).data).toEqual({ code: 4403, reason: 'access revoked' });
    expect((await request(nodeB.baseUrl, 'GET', '/notifications', { token })).status).toBe(401);
    await bystander.roundTrip();
    expect(bystander.closeCode).toBeUndefined();
    await bystander.close();
    stream.close();
  });
});

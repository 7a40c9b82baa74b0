import { request, send } from '../support/http';
import { senderToken, tokenFor } from '../support/tokens';
import { Cluster, startCluster, TestClient, uniqueUser } from './support/cluster';

const SNOOZES = 12;

/**
 * Snoozes on three real server processes (PostgreSQL, Redis): every node's worker polls for
 * due snoozes at once, one brings each back, and the delivery reaches the user's sessions on
 * the other nodes through Redis, once each.
 */
describe('Snooze on several nodes', () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster(3);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await cluster?.stop();
  });

  it('brings each snooze back once, live on every session whatever node released it', async () => {
    const user = uniqueUser('snoozer');
    const token = tokenFor(user);
    const ids: string[] = [];
    for (let index = 0; index < SNOOZES; index++) {
      const sent = await send(cluster.nodes[index % 3].baseUrl, senderToken(), { userIds: [user], title: `Later ${index}` });
      ids.push(sent.body.id);
    }
    // Due in two seconds: every node's worker (polling every 500 ms) races for them.
    const until = new Date(Date.now() + 2000).toISOString();
    for (const [index, id] of ids.entries()) {
      const response = await request(cluster.nodes[index % 3].baseUrl, 'POST', `/notifications/${id}/snooze`, { token, body: { until } });
      expect(response.status).toBe(204);
    }
    const listed = async () => (await request(cluster.nodes[0].baseUrl, 'GET', '/notifications?limit=100', { token })).body.items;
    expect(await listed()).toEqual([]);
    for (const node of cluster.nodes) {
      const client = await TestClient.open(node.wsUrl, token);
      clients.push(client);
    }

    for (const client of clients) {
      const frames = await client.waitFor('notification', SNOOZES, 20_000);
      await client.roundTrip();
      expect(client.all('notification')).toHaveLength(SNOOZES);
      expect(frames.map((frame) => frame.data.id).sort()).toEqual([...ids].sort());
    }
    const items = await listed();
    expect(items.map((item: { id: string }) => item.id).sort()).toEqual([...ids].sort());
    expect(items.every((item: { readAt: string | null }) => item.readAt === null)).toBe(true);
  });
});

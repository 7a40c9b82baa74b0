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

  it('tells the sessions on the other nodes which one was snoozed, with until, then the counts', async () => {
    const [user, stranger] = [uniqueUser('snoozed-state'), uniqueUser('stranger')];
    const id = (await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user, stranger] })).body.id;
    const sessions = [
      await TestClient.open(cluster.nodes[1].wsUrl, tokenFor(user)),
      await TestClient.open(cluster.nodes[2].wsUrl, tokenFor(user)),
    ];
    const other = await TestClient.open(cluster.nodes[1].wsUrl, tokenFor(stranger));
    const until = new Date(Date.now() + 3_600_000).toISOString();

    const response = await request(cluster.nodes[0].baseUrl, 'POST', `/notifications/${id}/snooze`, {
      token: tokenFor(user),
      body: { until },
    });

    expect(response.status).toBe(204);
    for (const session of sessions) {
      expect((await session.next('state')).data).toEqual({ ids: [id], change: 'snoozed', at: expect.any(String), until });
      expect((await session.next('unread')).data).toEqual({ count: 0, unseen: 0 });
    }
    await other.roundTrip();
    expect(other.frames.filter((frame) => frame.event === 'state' || frame.event === 'unread')).toEqual([]);
    await Promise.all([...sessions, other].map((client) => client.close()));
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

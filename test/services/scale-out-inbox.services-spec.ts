import { request, send } from '../support/http';
import { senderToken, tokenFor } from '../support/tokens';
import { Cluster, startCluster, TestClient, uniqueUser } from './support/cluster';

/** The inbox's changes of state, grouping and actions across three nodes on PostgreSQL and Redis. */
describe('The inbox on several nodes', () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];
  const open = async (nodeIndex: number, userId: string) => {
    const client = await TestClient.open(cluster.nodes[nodeIndex].wsUrl, tokenFor(userId));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startCluster(3);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  afterAll(() => cluster?.stop());

  it('tells the sessions on every node of a change of state made on one, as state and unread {count, unseen} frames', async () => {
    const user = uniqueUser('states');
    const id = (await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user] })).body.id;
    const [onB, onC] = [await open(1, user), await open(2, user)];
    const seen = await request(cluster.nodes[0].baseUrl, 'POST', '/notifications/seen', { token: tokenFor(user), body: { ids: [id] } });
    expect(seen.body).toEqual({ count: 1 });
    for (const client of [onB, onC]) {
      expect((await client.next('state')).data).toEqual({ ids: [id], change: 'seen', at: expect.any(String) });
      expect((await client.next('unread')).data).toEqual({ count: 1, unseen: 0 });
    }
    onB.send('read', { ids: [id] });
    expect((await onC.waitFor('state', 2))[1].data).toEqual({ ids: [id], change: 'read', at: expect.any(String) });
    expect((await onC.waitFor('unread', 2))[1].data).toEqual({ count: 0, unseen: 0 });
  });

  it("carries a grouped send's replaced id and an action's state frame to the other nodes", async () => {
    const user = uniqueUser('grouped');
    const onB = await open(1, user);
    const first = await send(cluster.nodes[0].baseUrl, senderToken(), {
      userIds: [user],
      groupKey: 'k',
      actions: [{ id: 'ok', label: 'OK' }],
    });
    const second = await send(cluster.nodes[0].baseUrl, senderToken(), {
      userIds: [user],
      groupKey: 'k',
      actions: [{ id: 'ok', label: 'OK' }],
    });
    const [, replacing] = await onB.waitFor('notification', 2);
    expect(replacing.data).toMatchObject({ id: second.body.id, groupCount: 2, replaces: first.body.id });
    const taken = await request(cluster.nodes[2].baseUrl, 'POST', `/notifications/${second.body.id}/actions/ok`, { token: tokenFor(user) });
    expect(taken.status).toBe(200);
    expect((await onB.next('state')).data).toEqual({
      ids: [second.body.id],
      change: 'actioned',
      at: taken.body.actionedAt,
      actionId: 'ok',
    });
  });
});

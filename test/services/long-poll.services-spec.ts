import { request, send } from '../support/http';
import { startPoll } from '../support/polls';
import { adminToken, senderToken, tokenFor } from '../support/tokens';
import { Cluster, eventually, startCluster, uniqueUser } from './support/cluster';

const CAP = 2;

/** Long polls on real server processes, two nodes on PostgreSQL and Redis. */
describe('Long polling across nodes on Redis', () => {
  let cluster: Cluster;
  const sender = senderToken();

  beforeAll(async () => {
    cluster = await startCluster(2, { env: { WS_MAX_SESSIONS_PER_USER: String(CAP) } });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** The user's sessions on all nodes, as presence (Redis) counts them. */
  const sessions = (userId: string) =>
    request(cluster.nodes[0].baseUrl, 'GET', `/presence/${userId}`, { token: adminToken() }).then(
      (response) => response.body.sessions as number,
    );
  const untilSessions = (userId: string, count: number) =>
    eventually(
      () => sessions(userId),
      (value) => value === count,
      `${count} sessions`,
    );

  it('wakes a poll waiting on one node with a send made on the other, and with a held send released there', async () => {
    const user = uniqueUser('poller');
    const waiting = startPoll(cluster.nodes[0].baseUrl, tokenFor(user), 'after=0&wait=30');
    await untilSessions(user, 1);
    const sent = await send(cluster.nodes[1].baseUrl, sender, { userIds: [user], title: 'From node 1' });
    expect(sent.body).toMatchObject({ recipients: 1, online: 1 });
    const answer = await waiting.answer;
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([expect.objectContaining({ id: sent.body.id, title: 'From node 1' })]);
    await untilSessions(user, 0);

    // Polling on from the cursor it answered with, on the other node this time.
    const next = startPoll(cluster.nodes[1].baseUrl, tokenFor(user), `after=${answer.body.nextCursor}&wait=30`);
    await untilSessions(user, 1);
    const held = await send(cluster.nodes[0].baseUrl, sender, {
      userIds: [user],
      title: 'Held',
      deliverAt: new Date(Date.now() + 1000).toISOString(),
    });
    expect((await next.answer).body.items.map((item: { id: string }) => item.id)).toEqual([held.body.id]);
  });

  it('counts waiting polls on both nodes against one cap, and frees their slots in Redis when clients leave', async () => {
    const user = uniqueUser('capped');
    const polls = cluster.nodes.map((node) => startPoll(node.baseUrl, tokenFor(user), 'after=0&wait=30'));
    await untilSessions(user, CAP);
    for (const node of cluster.nodes) {
      expect((await request(node.baseUrl, 'GET', '/notifications?after=0&wait=30', { token: tokenFor(user) })).status).toBe(429);
    }
    for (const poll of polls) poll.abort();
    await Promise.all(polls.map((poll) => expect(poll.answer).rejects.toThrow()));
    await untilSessions(user, 0);

    // The slots are back: the cap admits as many as before, and one send answers them all.
    const again = cluster.nodes.map((node) => startPoll(node.baseUrl, tokenFor(user), 'after=0&wait=30'));
    await untilSessions(user, CAP);
    const sent = await send(cluster.nodes[0].baseUrl, sender, { userIds: [user], title: 'Both' });
    for (const answer of await Promise.all(again.map((poll) => poll.answer))) {
      expect(answer.body.items.map((item: { id: string }) => item.id)).toEqual([sent.body.id]);
    }
  });
});

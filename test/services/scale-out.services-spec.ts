import { Redis } from 'ioredis';
import { request, send } from '../support/http';
import { adminToken, senderToken, tokenFor, tokenIssuedIn } from '../support/tokens';
import { Frame } from '../support/ws-client';
import { Cluster, cursorsOf, eventually, startCluster, TestClient, uniqueUser } from './support/cluster';
import { REDIS_URL, startRedis, stopRedis } from './support/services';

describe('Several nodes on PostgreSQL and Redis', () => {
  let cluster: Cluster;
  const clients: TestClient[] = [];
  const open = async (nodeIndex: number, userId: string, after?: string) => {
    const client = await TestClient.open(cluster.nodes[nodeIndex].wsUrl, tokenFor(userId), after);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startCluster(3);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  afterAll(async () => {
    await startRedis();
    await cluster?.stop();
  });

  it('delivers a notification sent on one node to every session on the others, once each', async () => {
    const user = uniqueUser('across');
    const onB = await open(1, user);
    const onC = await open(2, user);
    const alsoOnC = await open(2, user);
    const response = await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user, uniqueUser('offline')] });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ recipients: 2, online: 1 });
    for (const client of [onB, onC, alsoOnC]) {
      const [frame] = await client.waitFor('notification', 1);
      expect(frame.data.id).toBe(response.body.id);
      await client.roundTrip();
      expect(client.all('notification')).toHaveLength(1);
    }
  });

  it('publishes a message only to the node that holds its user', async () => {
    const user = uniqueUser('routed');
    const watcher = new Redis(REDIS_URL);
    const watcherClient = new Redis(REDIS_URL);
    const channels: string[] = [];
    try {
      await watcher.psubscribe(`${cluster.keyPrefix}:channel:*`);
      watcher.on('pmessage', (_pattern, channel, payload) => {
        if (payload.includes(user) || channel.endsWith(':marker')) channels.push(channel);
      });
      const onB = await open(1, user);
      const [nodeOfB] = await eventually(
        () => watcherClient.hkeys(`${cluster.keyPrefix}:user:${user}`),
        (nodeIds) => nodeIds.length === 1,
        'the session to be registered',
      );
      expect((await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user] })).status).toBe(201);
      await onB.next('notification');
      // Redis delivers a subscriber's messages in order: once the marker is in, so is every
      // message published for the user before it.
      const publisher = new Redis(REDIS_URL);
      await publisher.publish(`${cluster.keyPrefix}:channel:marker`, 'marker');
      publisher.disconnect();
      await eventually(
        async () => channels.length,
        () => channels.includes(`${cluster.keyPrefix}:channel:marker`),
        'the marker',
      );
      expect(channels).toEqual([`${cluster.keyPrefix}:channel:node:${nodeOfB}`, `${cluster.keyPrefix}:channel:marker`]);
    } finally {
      watcher.disconnect();
      watcherClient.disconnect();
    }
  });

  it('counts sessions on every node as online', async () => {
    const [here, there, nowhere] = [uniqueUser('here'), uniqueUser('there'), uniqueUser('nowhere')];
    await open(0, here);
    await open(2, there);
    const response = await send(cluster.nodes[1].baseUrl, senderToken(), { userIds: [here, there, nowhere] });
    expect(response.body).toMatchObject({ recipients: 3, online: 2 });
  });

  it('counts the sessions a user holds on other nodes in GET /presence/:id', async () => {
    const user = uniqueUser('present');
    const presence = () => request(cluster.nodes[0].baseUrl, 'GET', `/presence/${user}`, { token: adminToken() });
    expect((await presence()).body).toEqual({ online: false, sessions: 0 });
    const [, , onC] = [await open(1, user), await open(1, user), await open(2, user)];
    await eventually(presence, (response) => response.body.sessions === 3, 'three sessions on B and C');
    expect((await presence()).body).toEqual({ online: true, sessions: 3 });
    await onC.close();
    await eventually(presence, (response) => response.body.sessions === 2, 'the session on C to close');
  });

  it('closes the sessions a user holds on other nodes with 4403 when revoked on one', async () => {
    const user = uniqueUser('revoked');
    const token = tokenFor(user);
    const sessions = [await open(1, user), await open(1, user), await open(2, user)];
    const bystander = await open(1, uniqueUser('bystander'));
    const revoked = await request(cluster.nodes[0].baseUrl, 'POST', `/users/${user}/revoke`, { token: adminToken() });
    expect(revoked.status).toBe(204);
    expect(await Promise.all(sessions.map((session) => session.waitForClose()))).toEqual([4403, 4403, 4403]);
    await bystander.roundTrip();
    expect(bystander.closeCode).toBeUndefined();
    await expect(TestClient.open(cluster.nodes[2].wsUrl, token)).rejects.toMatchObject({ status: 401 });
    // A token issued after the revocation is accepted again, on any node.
    const fresh = await TestClient.open(cluster.nodes[1].wsUrl, tokenIssuedIn(user, 2));
    clients.push(fresh);
    expect(fresh.closeCode).toBeUndefined();
  });

  it('never skips a notification for a client hopping between nodes while all nodes send to its user, directly and through a topic', async () => {
    const user = uniqueUser('hopper');
    const [neighbour, subscriber] = [uniqueUser('neighbour'), uniqueUser('subscriber')];
    const topic = uniqueUser('hoppers');
    for (const userId of [user, subscriber]) {
      const subscribed = await request(cluster.nodes[0].baseUrl, 'PUT', `/topics/${topic}/subscribers/${userId}`, { token: senderToken() });
      expect(subscribed.status).toBe(204);
    }
    // Every kind of inbox write at once: to the user alone, to them and another user, to their topic.
    const audiences = [{ userIds: [user] }, { userIds: [neighbour, user] }, { topic }];
    const sentIds = new Set<string>();
    let sending = true;
    const SENDS_PER_NODE = 60;
    const CONCURRENCY = 6;
    const senders = cluster.nodes.map(async (node) => {
      for (let round = 0; round < SENDS_PER_NODE / CONCURRENCY; round++) {
        const responses = await Promise.all(
          Array.from({ length: CONCURRENCY }, (_, index) =>
            send(node.baseUrl, senderToken(), { ...audiences[index % audiences.length], title: node.name }),
          ),
        );
        for (const response of responses) {
          expect(response.status).toBe(201);
          sentIds.add(response.body.id);
        }
      }
    });
    const allSent = Promise.all(senders).finally(() => (sending = false));

    const seen = new Set<string>();
    let after = '0';
    let hops = 0;
    const take = (frames: Frame[]) => {
      cursorsOf(frames);
      for (const frame of frames) seen.add(frame.data.id);
      if (frames.length > 0) after = frames[frames.length - 1].data.cursor;
    };
    while (sending) {
      const client = await open(hops++ % cluster.nodes.length, user, after);
      // Stay for a few notifications (or until the senders finish), then hop on.
      await Promise.race([client.waitFor('notification', 4, 5000).catch(() => undefined), allSent]);
      await client.close();
      take(client.all('notification'));
    }
    await allSent;
    const last = await open(hops % cluster.nodes.length, user, after);
    const missing = [...sentIds].filter((id) => !seen.has(id));
    // On a timeout, the comparison below names what never arrived.
    await last.waitFor('notification', missing.length, 20_000).catch(() => undefined);
    await last.roundTrip();
    take(last.all('notification'));

    expect(hops).toBeGreaterThan(3);
    expect(sentIds.size).toBe(SENDS_PER_NODE * cluster.nodes.length);
    expect([...seen].sort()).toEqual([...sentIds].sort());
  });

  it('keeps answering 201 while Redis is down, catches sessions up and resumes live delivery when it returns', async () => {
    const user = uniqueUser('outage');
    const onB = await open(1, user);
    const onC = await open(2, user);
    let duringOutage: string[];
    try {
      await stopRedis();
      const responses = [
        await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user], title: 'sent on A while Redis was down' }),
        await send(cluster.nodes[1].baseUrl, senderToken(), { userIds: [user], title: 'sent on B while Redis was down' }),
      ];
      expect(responses.map((response) => response.status)).toEqual([201, 201]);
      duringOutage = responses.map((response) => response.body.id);
      // B's own session gets B's send, and sees from its previous cursor that A's came first:
      // it fills the gap from the database.
      expect((await onB.waitFor('notification', 2)).map((frame) => frame.data.id)).toEqual(duringOutage);
      // A client connecting meanwhile replays from the database.
      const newcomer = await open(0, user, '0');
      expect((await newcomer.waitFor('notification', 2)).map((frame) => frame.data.id)).toEqual(duringOutage);
    } finally {
      await startRedis();
    }
    // Without reconnecting, C's session catches up once its node is back on Redis…
    expect((await onC.waitFor('notification', 2, 30_000)).map((frame) => frame.data.id)).toEqual(duringOutage);
    // …and live delivery across nodes works again by itself.
    await eventually(
      async () => {
        const count = onC.all('notification').length;
        const response = await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user], title: 'after the outage' });
        await onC.waitFor('notification', count + 1, 2000).catch(() => undefined);
        return onC.all('notification').some((frame) => frame.data.id === response.body.id);
      },
      (received) => received,
      'live delivery from A to C after Redis returned',
    );
    for (const client of [onB, onC]) cursorsOf(client.all('notification'));
    expect(cluster.nodes.every((node) => node.isRunning)).toBe(true);
  });

  it('lets the clients of a SIGKILLed node resume on another node without missing anything', async () => {
    const user = uniqueUser('orphan');
    const victim = cluster.nodes[2];
    const onC = await open(2, user);
    const first = await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user], title: 'before the crash' });
    const [received] = await onC.waitFor('notification', 1);
    expect(received.data.id).toBe(first.body.id);

    await victim.kill();
    await onC.waitForClose();
    const whileAway = [];
    for (let index = 0; index < 5; index++) {
      whileAway.push((await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user], title: `while away ${index}` })).body.id);
    }
    const resumed = await open(1, user, received.data.cursor);
    const frames = await resumed.waitFor('notification', whileAway.length);
    expect(frames.map((frame) => frame.data.id)).toEqual(whileAway);
    // The dead node's registrations expire with its heartbeat: it no longer counts as online.
    await resumed.close();
    await eventually(
      async () => (await send(cluster.nodes[0].baseUrl, senderToken(), { userIds: [user], title: 'presence probe' })).body.online,
      (online) => online === 0,
      'the killed node to stop counting as online',
    );
  });

  // Last: a broadcast reaches every user who connects later (until it expires), which would
  // add frames to the other tests' sessions.
  it('answers a broadcast with the number of users connected on any node, each counted once', async () => {
    const alive = cluster.nodes.map((node, index) => ({ node, index })).filter(({ node }) => node.isRunning);
    const [first, second] = alive.map(({ index }) => index);
    const [solo, onBoth, other] = [uniqueUser('solo'), uniqueUser('both'), uniqueUser('other')];
    const sessions = [await open(first, solo), await open(first, onBoth), await open(second, onBoth), await open(second, other)];
    // Sessions of the earlier tests close asynchronously on their nodes: wait until only these count.
    const response = await eventually(
      () => send(cluster.nodes[second].baseUrl, senderToken(), { broadcast: true, title: 'to everyone', ttlSeconds: 5 }),
      (sent) => sent.body.online === 3,
      'the broadcast to count the three users online',
    );
    expect(response.body).toEqual({ id: expect.any(String), recipients: 3, online: 3, suppressed: 0 });
    for (const session of sessions) {
      await eventually(
        async () => session.all('notification').some((frame) => frame.data.id === response.body.id),
        (received) => received,
        'the broadcast on every session',
      );
    }
  });
});

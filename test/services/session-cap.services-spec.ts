import { request } from '../support/http';
import {
  abandonAllAtOnce,
  countStatuses,
  RawAnswer,
  RawRequest,
  requestAllAtOnce,
  streamRequest,
  upgradeRequest,
} from '../support/raw-requests';
import { adminToken, tokenFor } from '../support/tokens';
import { Cluster, eventually, startCluster, uniqueUser } from './support/cluster';

const CAP = 3;

/** WS_MAX_SESSIONS_PER_USER counted across nodes: handshakes racing on two nodes share one cap in Redis. */
describe('The per-user session cap across nodes on Redis', () => {
  let cluster: Cluster;
  const open: RawAnswer[] = [];

  beforeAll(async () => {
    cluster = await startCluster(2, { env: { WS_MAX_SESSIONS_PER_USER: String(CAP) } });
  });
  afterEach(() => {
    for (const { socket } of open.splice(0)) socket.destroy();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const sessionsOn = (nodeIndex: number, userId: string) =>
    request(cluster.nodes[nodeIndex].baseUrl, 'GET', `/presence/${userId}`, { token: adminToken() }).then(
      (response) => response.body.sessions as number,
    );
  /** `count` requests of each kind per node, for one user. */
  const onBothNodes = (userId: string, kinds: { upgrades?: number; streams?: number }): RawRequest[] =>
    cluster.nodes.flatMap((node) => [
      ...Array.from({ length: kinds.upgrades ?? 0 }, () => upgradeRequest(node.wsUrl, `/ws?access_token=${tokenFor(userId)}`)),
      ...Array.from({ length: kinds.streams ?? 0 }, () => streamRequest(node.baseUrl, tokenFor(userId))),
    ]);
  const racing = async (requests: RawRequest[]) => {
    const answers = await requestAllAtOnce(requests);
    open.push(...answers);
    return answers;
  };
  const admitted = (answers: RawAnswer[]) => answers.filter(({ status }) => status === 101 || status === 200).length;

  it('admits exactly the cap of upgrades and streams written to two nodes in one tick, and admits again after they close', async () => {
    const user = uniqueUser('racer');
    const answers = await racing(onBothNodes(user, { upgrades: 10, streams: 5 }));
    expect(admitted(answers)).toBe(CAP);
    expect(answers.filter(({ status }) => status === 429)).toHaveLength(30 - CAP);
    expect([await sessionsOn(0, user), await sessionsOn(1, user)]).toEqual([CAP, CAP]);

    for (const { socket } of open.splice(0)) socket.destroy();
    await eventually(
      () => Promise.all([sessionsOn(0, user), sessionsOn(1, user)]),
      (counts) => counts.every((count) => count === 0),
      'the sessions to close',
    );
    expect(countStatuses(await racing(onBothNodes(user, { upgrades: CAP })))).toEqual({ 101: CAP, 429: CAP });
  });

  it('leaks no slot in Redis when a handshake fails after reserving one: a bad Last-Event-ID, clients gone before the answer', async () => {
    const user = uniqueUser('leaker');
    // As many as the cap, so each of them holds a slot until its 400.
    const badCursor = await racing(
      Array.from({ length: CAP }, (_, index) =>
        streamRequest(cluster.nodes[index % 2].baseUrl, tokenFor(user), { 'last-event-id': 'not-a-cursor' }),
      ),
    );
    expect(countStatuses(badCursor)).toEqual({ 400: CAP });
    await abandonAllAtOnce(onBothNodes(user, { upgrades: CAP, streams: CAP }));
    await eventually(
      () => Promise.all([sessionsOn(0, user), sessionsOn(1, user)]),
      (counts) => counts.every((count) => count === 0),
      'no session',
    );

    expect(admitted(await racing(onBothNodes(user, { upgrades: CAP })))).toBe(CAP);
  });
});

import { request, send } from '../support/http';
import { tokenFor } from '../support/tokens';
import { Cluster, eventually, startCluster, TestClient, uniqueUser } from './support/cluster';

const CLAIM = 'org';
const user = (tenant: string, sub: string) => tokenFor(sub, { claims: { [CLAIM]: tenant } });
const sender = (tenant: string, sub = 'svc') => tokenFor(sub, { scope: 'notifications:send', claims: { [CLAIM]: tenant } });
const admin = (tenant: string) => tokenFor('ops', { scope: 'notifications:admin', claims: { [CLAIM]: tenant } });

/**
 * Two tenants with the same user id on two nodes sharing Redis and PostgreSQL: sessions,
 * deliveries, broadcasts, presence, revocation, the session cap and the send rate limit are
 * each tenant's own (they are keyed by the user's key in the tenant, `<tenant number>:<id>`).
 */
describe('Tenants across nodes on Redis', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster(2, { env: { TENANT_CLAIM: CLAIM, WS_MAX_SESSIONS_PER_USER: '1', SEND_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const node = (index: number) => cluster.nodes[index];
  const presence = (index: number, tenant: string, userId: string) =>
    request(node(index).baseUrl, 'GET', `/presence/${userId}`, { token: admin(tenant) }).then((response) => response.body);

  it('keeps the same user id of two tenants apart on every node', async () => {
    const userId = uniqueUser('u');
    // A cap of one session per user: each tenant's user has a session of their own.
    const a = await TestClient.open(node(0).wsUrl, user('acme', userId));
    const b = await TestClient.open(node(1).wsUrl, user('globex', userId));
    expect(a.frames[0].data.userId).toBe(userId);
    await expect(TestClient.open(node(1).wsUrl, user('acme', userId))).rejects.toMatchObject({ status: 429 });

    expect(await presence(1, 'acme', userId)).toEqual({ online: true, sessions: 1 });
    expect(await presence(0, 'initech', userId)).toEqual({ online: false, sessions: 0 });

    // A send from the other node reaches its tenant's user only; a broadcast too.
    expect((await send(node(1).baseUrl, sender('acme', 'direct'), { userIds: [userId], title: 'for A' })).body.online).toBe(1);
    await send(node(0).baseUrl, sender('globex', 'caster'), { broadcast: true, title: 'for all of B' });
    await a.next('notification');
    await b.next('notification');
    await Promise.all([a.roundTrip(), b.roundTrip()]);
    expect(a.all('notification').map((frame) => frame.data.title)).toEqual(['for A']);
    expect(b.all('notification').map((frame) => frame.data.title)).toEqual(['for all of B']);

    // Revoking A's user closes A's session on the other node; B's stays open.
    expect((await request(node(1).baseUrl, 'POST', `/users/${userId}/revoke`, { token: admin('acme') })).status).toBe(204);
    expect(await a.waitForClose()).toBe(4403);
    await b.roundTrip();
    expect(b.closeCode).toBeUndefined();
    expect(await presence(0, 'globex', userId)).toEqual({ online: true, sessions: 1 });
    await eventually(
      () => presence(1, 'acme', userId),
      (body) => body.online === false,
      "A's session to leave presence",
    );
    await b.close();
  });

  it('numbers a tenant two nodes meet at the same moment once, and both key its users alike', async () => {
    const tenant = uniqueUser('new-tenant');
    const [first, second] = [uniqueUser('first'), uniqueUser('second')];
    // Neither node has seen the tenant: a session opens on each at once, each token numbering it.
    const [a, b] = await Promise.all([
      TestClient.open(node(0).wsUrl, user(tenant, first)),
      TestClient.open(node(1).wsUrl, user(tenant, second)),
    ]);
    const numbered = await cluster.database.query('SELECT number FROM notification_tenants WHERE tenant_id = $1', [tenant]);
    expect(numbered).toHaveLength(1);
    // A send from either node reaches the user on the other: both key them by that number.
    expect((await send(node(1).baseUrl, sender(tenant, 'from-1'), { userIds: [first], title: 'to first' })).body.online).toBe(1);
    expect((await send(node(0).baseUrl, sender(tenant, 'from-0'), { userIds: [second], title: 'to second' })).body.online).toBe(1);
    expect((await a.next('notification')).data.title).toBe('to first');
    expect((await b.next('notification')).data.title).toBe('to second');
    const keys = await cluster.database.query('SELECT user_id FROM notification_recipients WHERE user_id IN ($1, $2) ORDER BY user_id', [
      `${numbered[0].number}:${first}`,
      `${numbered[0].number}:${second}`,
    ]);
    expect(keys).toHaveLength(2);
    await Promise.all([a.close(), b.close()]);
  });

  it("counts the send rate limit (per node) by each tenant's sender", async () => {
    const target = uniqueUser('target');
    const statuses = async (tenant: string) => {
      const answers = [];
      for (const index of [0, 0, 0])
        answers.push((await send(node(index).baseUrl, sender(tenant, 'limited'), { userIds: [target] })).status);
      return answers;
    };
    expect(await statuses('acme')).toEqual([201, 201, 429]);
    expect(await statuses('globex')).toEqual([201, 201, 429]);
  });
});

/**
 * Scenario 6, multi-node: what a second node costs a notification. The project only (floor and
 * peer are single processes): first one node on PostgreSQL, sender and recipients on it; then
 * two nodes sharing PostgreSQL and Redis, recipients spread over both (every other user on B)
 * and the POSTs alternating between them, so half the notifications cross Redis, as with a
 * load balancer in front of two nodes. Both at the same open-loop total rate, latency from the
 * scheduled send to the recipient's read. Needs PostgreSQL (127.0.0.1:5432, user postgres) and
 * Redis (127.0.0.1:6379), or MULTINODE_POSTGRES_URL / MULTINODE_REDIS_URL; without them the
 * rows say why. The nodes run pinned to the server CPU; PostgreSQL and Redis are not pinned.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import Redis from 'ioredis';
import { Client } from 'pg';
import { HttpSender } from '../http-sender';
import { count, Metric, Scenario, ScenarioContext, Sizes, sleep, waitUntil } from '../scenario';
import { userIdRange } from '../session-pool';
import { coreBusyMs, CpuWindow } from '../proc';
import { RunningTarget, SERVER_CPU, TargetDefinition } from '../targets';
import { Audience, chunks, MAX_USER_IDS_PER_POST } from './fanout';
import { Phase, phaseSessionPool, runPhase } from './p2p';

/** The total rate of both phases: what one node on PostgreSQL keeps up with here, so the rows show the hop, not a queue. */
const RATE = 1000;
/** After the p2p phase, fan-outs to all of its users (POSTs of 1,000, round-robin): the median of this many is kept. */
const FANOUTS = 7;
const FANOUT_TIMEOUT_MS = 30_000;
const POSTGRES_ADMIN_URL = process.env.MULTINODE_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.MULTINODE_REDIS_URL ?? 'redis://127.0.0.1:6379';

function labels(sizes: Sizes) {
  const prefix = `multi-node p2p ${count(RATE)}/s, ${count(sizes.p2pUsers)} users`;
  return {
    oneP50: `${prefix}: 1 node (PostgreSQL) e2e p50 (ms)`,
    oneP99: `${prefix}: 1 node (PostgreSQL) e2e p99 (ms)`,
    twoP50: `${prefix}: 2 nodes + Redis, users and POSTs on both: e2e p50 (ms)`,
    twoP99: `${prefix}: 2 nodes + Redis, users and POSTs on both: e2e p99 (ms)`,
    addedP50: `${prefix}: added by the second node, p50 (ms)`,
    addedP99: `${prefix}: added by the second node, p99 (ms)`,
    lost: `${prefix}: lost / duplicate (1 node | 2 nodes)`,
    cpu: `${prefix}: nodes' CPU per delivery, 1 node | 2 nodes together (µs)`,
    core: `${prefix}: CPU ${SERVER_CPU} (the nodes' core) busy, 1 node | 2 nodes (%)`,
    fanout: `multi-node fan-out to ${count(sizes.p2pUsers)} users: time to last delivery, 1 node | 2 nodes (ms)`,
    fanoutLost: `multi-node fan-out to ${count(sizes.p2pUsers)} users: lost / duplicate (1 node | 2 nodes)`,
  };
}

/** A project node on a PostgreSQL database, with Redis when `redisPrefix` is given. */
function projectNode(base: TargetDefinition, databaseUrl: string, redisPrefix?: string): TargetDefinition {
  return {
    ...base,
    launch: (buildDir, port, databaseFile) => {
      const launched = base.launch(buildDir, port, databaseFile);
      const shared: Record<string, string> = redisPrefix ? { REDIS_URL, REDIS_KEY_PREFIX: redisPrefix } : {};
      return { ...launched, env: { ...launched.env, DATABASE_URL: databaseUrl, ...shared } };
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Whether Redis answers a PING. */
function redisAnswers(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    socket.setTimeout(2000, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/** The nodes leave presence keys behind when they are stopped mid-session: this run's go. */
async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** POSTs round-robin over the nodes, as a load balancer in front of them would. */
function roundRobin(senders: HttpSender[]): Pick<HttpSender, 'post' | 'abortPending'> {
  let next = 0;
  return {
    post: (path, body) => senders[next++ % senders.length].post(path, body),
    abortPending: (...args) => senders.forEach((sender) => sender.abortPending(...args)),
  };
}

interface Measured {
  phase: Phase;
  /** The nodes' CPU (all of them together) per delivery, in µs. */
  cpuPerDeliveryUs: number;
  /** How busy the nodes' core was over the phase (anyone on it: the nodes, PostgreSQL, Redis), in %. */
  coreBusyPercent: number;
  /** The median fan-out to every user: time from the POSTs to the last delivery, and what was lost. */
  fanout: { timeMs: number; lost: number; duplicates: number };
}

/** One measured phase: sessions spread over `nodes` (user i on node i mod n), POSTs round-robin over them. */
async function measure({ tokens, sizes, log }: ScenarioContext, nodes: RunningTarget[], what: string): Promise<Measured> {
  let current: Phase | Audience | undefined;
  const pools = nodes.map((node) => phaseSessionPool('contract', node.port, tokens, () => current));
  const senders = nodes.map((node) => new HttpSender(node.port, tokens.forSender()));
  try {
    const users = userIdRange('m', sizes.p2pUsers);
    const userIds: string[] = [];
    for (const [index, pool] of pools.entries()) {
      const opened = await pool.open(users.filter((_, position) => position % pools.length === index));
      if (opened.failed) throw new Error(`${opened.failed} sessions failed to open, first: ${opened.firstError}`);
      userIds.push(...opened.opened.map((session) => session.userId));
    }
    const sender = roundRobin(senders);
    // The warm-up runs at the measured rate. After one at 200/s the nodes were still warming up
    // when the phase began: a node's CPU per send was several times its steady state for about
    // a second, two such nodes on the one core fell 30-120 ms behind, and that alone made the
    // two-node p99 (BENCHMARKS.md, "Two nodes: the p99 was the warm-up and the disk").
    current = new Phase(0, RATE, sizes.p2pWarmupMs, userIds);
    await runPhase(current, sender, userIds, sizes.p2pWarmupMs, sizes.drainMs);
    await sleep(500);
    const phase = (current = new Phase(1_000_000, RATE, sizes.p2pPhaseMs, userIds));
    const cpu = nodes.map((node) => new CpuWindow(node.pid));
    const [busyAtStart, wallAtStart] = [coreBusyMs(SERVER_CPU), performance.now()];
    await runPhase(phase, sender, userIds, sizes.p2pPhaseMs, sizes.drainMs);
    phase.saveTimeline(`multinode-${nodes.length}-node${nodes.length > 1 ? 's' : ''}`);
    const coreBusyPercent = (100 * (coreBusyMs(SERVER_CPU) - busyAtStart)) / (performance.now() - wallAtStart);
    const cpuMs = cpu.reduce((total, window) => total + window.usedMs(), 0);
    const cpuPerDeliveryUs = phase.delivered ? (1000 * cpuMs) / phase.delivered : Number.NaN;
    log(
      `${what}: ${phase.delivered}/${phase.total} delivered, p99 ${phase.latency.percentileMs(99).toFixed(1)} ms, ` +
        `${cpuPerDeliveryUs.toFixed(0)} µs of the nodes' CPU per delivery, CPU ${SERVER_CPU} ${coreBusyPercent.toFixed(0)} % busy`,
    );
    const fanout = await measureFanout(userIds, sender, (audience) => (current = audience));
    return { phase, cpuPerDeliveryUs, coreBusyPercent, fanout };
  } finally {
    current = undefined;
    for (const sender of senders) sender.close();
    for (const pool of pools) pool.closeAll();
  }
}

/**
 * One notification to every user, in POSTs of 1,000 (the contract's cap) spread over the nodes
 * like the p2p POSTs: with two nodes, half of each POST's recipients are on the other node, so
 * each is looked up in Redis and crosses it. One warm-up, then the median of FANOUTS.
 */
async function measureFanout(
  userIds: string[],
  sender: Pick<HttpSender, 'post'>,
  listen: (audience: Audience) => void,
): Promise<Measured['fanout']> {
  const indexByUser = new Map(userIds.map((userId, index) => [userId, index]));
  const runs: Array<Measured['fanout']> = [];
  for (let run = 0; run <= FANOUTS; run++) {
    const audience = new Audience(2_000_000 + run, indexByUser);
    listen(audience);
    const startedAt = performance.now();
    const answers = await Promise.all(
      chunks(userIds, MAX_USER_IDS_PER_POST).map((chunk) =>
        sender.post(
          '/notifications',
          JSON.stringify({ userIds: chunk, type: 'bench.fanout', title: 'fan-out', data: { k: audience.key } }),
        ),
      ),
    );
    const refused = answers.find((answer) => answer.status !== 201);
    if (refused) throw new Error(`fan-out POST: HTTP ${refused.status} ${refused.body.slice(0, 200)}`);
    await waitUntil(() => audience.delivered === userIds.length, FANOUT_TIMEOUT_MS);
    await sleep(300);
    // The first is the warm-up.
    if (run > 0)
      runs.push({
        // Nobody reached: no time to the last delivery (it sorts last, and reads Infinity).
        timeMs: audience.delivered ? audience.lastDeliveryAt - startedAt : Number.POSITIVE_INFINITY,
        lost: userIds.length - audience.delivered,
        duplicates: audience.duplicates,
      });
  }
  runs.sort((a, b) => a.timeMs - b.timeMs);
  return runs[Math.floor(runs.length / 2)];
}

export const multinodeScenario: Scenario = {
  name: 'multinode',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run(context: ScenarioContext): Promise<Metric[]> {
    const label = labels(context.sizes);
    const { target } = context;
    if (target.name !== 'project') {
      // project-pg would measure the same nodes again: this scenario already runs on PostgreSQL.
      const why = target.name === 'project-pg' ? 'n/a (see project)' : 'n/a (one process)';
      return Object.values(label).map((row) => ({ label: row, value: why }));
    }
    if (!(await redisAnswers())) throw new Error(`Redis does not answer at ${REDIS_URL}`);
    const name = `bench_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    const databaseUrl = Object.assign(new URL(POSTGRES_ADMIN_URL), { pathname: `/${name}` }).toString();
    const redisPrefix = `bench-${randomBytes(4).toString('hex')}`;
    const running: RunningTarget[] = [];
    const start = async (definition: TargetDefinition) => {
      const node = await RunningTarget.start(definition, target.buildDir, target.workDir);
      running.push(node);
      return node;
    };
    try {
      // The runner's own project server (on SQLite) stays idle; these nodes are measured.
      const single = await start(projectNode(target.definition, databaseUrl));
      const oneNode = await measure(context, [single], '1 node');
      const one = oneNode.phase;
      await single.stop();
      // Node A migrates first; B starts on a migrated database (docs/deployment.md).
      const nodeA = await start(projectNode(target.definition, databaseUrl, redisPrefix));
      const nodeB = await start(projectNode(target.definition, databaseUrl, redisPrefix));
      const twoNodes = await measure(context, [nodeA, nodeB], '2 nodes');
      const two = twoNodes.phase;
      const lost = (phase: Phase) => `${phase.total - phase.delivered} / ${phase.duplicates + phase.misrouted}`;
      return [
        { label: label.oneP50, value: one.latency.percentileMs(50), decimals: 2 },
        { label: label.oneP99, value: one.latency.percentileMs(99), decimals: 2 },
        { label: label.twoP50, value: two.latency.percentileMs(50), decimals: 2 },
        { label: label.twoP99, value: two.latency.percentileMs(99), decimals: 2 },
        { label: label.addedP50, value: two.latency.percentileMs(50) - one.latency.percentileMs(50), decimals: 2 },
        { label: label.addedP99, value: two.latency.percentileMs(99) - one.latency.percentileMs(99), decimals: 2 },
        { label: label.lost, value: `${lost(one)} | ${lost(two)}` },
        { label: label.cpu, value: `${oneNode.cpuPerDeliveryUs.toFixed(0)} | ${twoNodes.cpuPerDeliveryUs.toFixed(0)}` },
        { label: label.core, value: `${oneNode.coreBusyPercent.toFixed(0)} | ${twoNodes.coreBusyPercent.toFixed(0)}` },
        { label: label.fanout, value: `${oneNode.fanout.timeMs.toFixed(0)} | ${twoNodes.fanout.timeMs.toFixed(0)}` },
        {
          label: label.fanoutLost,
          value: `${oneNode.fanout.lost} / ${oneNode.fanout.duplicates} | ${twoNodes.fanout.lost} / ${twoNodes.fanout.duplicates}`,
        },
      ];
    } finally {
      for (const node of running) await node.stop();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await removeRedisKeys(redisPrefix);
    }
  },
};

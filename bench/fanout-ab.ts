/**
 * Before-and-after of the fan-out alone: builds started in turn (A, B, A, B…), each with 5,000
 * sessions, a warm-up, then many fan-outs of one notification to all of them (five POSTs of
 * 1,000 sent together, as the `fanout` scenario does). Per start it prints the median time to
 * the last delivery, when the POSTs were answered, the server's CPU per delivery (its acks
 * included) and the load client's own CPU up to the last delivery. Quicker than the whole
 * runner, so several starts of each build fit where one bench run of each would.
 *
 *   setsid taskset -c 1 npx ts-node --transpile-only bench/fanout-ab.ts <starts per build> <fan-outs per start> \
 *     before=/tmp/before after=. [floor=floor] [name=dir@KEY:value,KEY:value]
 *
 * A build is a checkout built with `npm run build` whose server loads its own library (see
 * bench/README.md); `floor` is bench/floor/server.ts. `@KEY:value` adds to that server's
 * environment. BENCH_TARGET_NODE_ARGS is given to the project's servers, with
 * BENCH_LIBRARY_DIR set to their checkout; with BENCH_PROBE_WINDOW=1 the server gets SIGUSR2
 * before the measured fan-outs and SIGUSR1 after them, which probes/profile-window.js and
 * probes/fanout-timeline.js listen for.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpSender } from './load/http-sender';
import { CpuWindow } from './load/proc';
import { Audience, chunks } from './load/scenarios/fanout';
import { SessionPool, userIdRange } from './load/session-pool';
import { buildBenchTargets, RunningTarget, TargetDefinition, targetDefinitions } from './load/targets';
import { TokenIssuer } from './load/tokens';

const USERS = 5000;
const SETTLE_MS = 300;

interface Build {
  name: string;
  definition: TargetDefinition;
}

interface FanOutFigures {
  timeMs: number;
  answeredMs: number;
  serverCpuPerDeliveryUs: number;
  clientCpuMs: number;
  duplicates: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function buildOf(spec: string, definitions: ReturnType<typeof targetDefinitions>): Build {
  const [nameAndDir, extra = ''] = spec.split('@');
  const [name, dir] = nameAndDir.split('=');
  const extraEnv = Object.fromEntries(extra ? extra.split(',').map((pair) => pair.split(':')) : []);
  if (dir === 'floor') return { name, definition: definitions.floor };
  const checkout = path.resolve(dir);
  const project = definitions.project;
  return {
    name,
    definition: {
      ...project,
      unavailableReason: () => undefined,
      launch: (buildDir, port, database) => {
        const launched = project.launch(buildDir, port, database);
        return {
          ...launched,
          script: path.join(checkout, 'server', 'dist', 'main.js'),
          env: { ...launched.env, ...extraEnv, BENCH_LIBRARY_DIR: checkout },
        };
      },
    },
  };
}

async function measureBuild({ name, definition }: Build, fanOuts: number, buildDir: string, workDir: string, tokens: TokenIssuer) {
  const target = await RunningTarget.start(definition, buildDir, workDir);
  const sender = new HttpSender(target.port, tokens.forSender());
  let audience: Audience | undefined;
  const pool = new SessionPool({
    protocol: 'contract',
    port: target.port,
    tokens,
    onNotification: (session, notification, at) => audience?.onNotification(session, notification, at),
    connectsPerSecond: 2000,
    maxInFlight: 256,
  });
  let nextKey = 1;
  try {
    const opened = await pool.open(userIdRange('f', USERS));
    if (opened.failed) throw new Error(`${name}: ${opened.failed} sessions failed to open, first: ${opened.firstError}`);
    const userIds = opened.opened.map((session) => session.userId);
    const fanOut = async (recipients: string[]): Promise<FanOutFigures> => {
      const current = (audience = new Audience(nextKey++, new Map(recipients.map((userId, index) => [userId, index]))));
      const serverCpu = new CpuWindow(target.pid);
      const clientCpu = process.cpuUsage();
      const startedAt = performance.now();
      await Promise.all(
        chunks(recipients, 1000).map(async (chunk) => {
          const body = { userIds: chunk, type: 'bench.fanout', title: 'fan-out', data: { k: current.key } };
          const response = await sender.post('/notifications', JSON.stringify(body));
          if (response.status !== 201) throw new Error(`POST /notifications: HTTP ${response.status} ${response.body}`);
        }),
      );
      const answeredMs = performance.now() - startedAt;
      while (current.delivered < recipients.length) await sleep(1);
      const client = process.cpuUsage(clientCpu);
      await sleep(SETTLE_MS);
      return {
        timeMs: current.lastDeliveryAt - startedAt,
        answeredMs,
        serverCpuPerDeliveryUs: (serverCpu.usedMs() * 1000) / recipients.length,
        clientCpuMs: (client.user + client.system) / 1000,
        duplicates: current.duplicates,
      };
    };
    await fanOut(userIds.slice(0, USERS / 10));
    await fanOut(userIds);
    const window = process.env.BENCH_PROBE_WINDOW === '1' && definition.name === 'project';
    if (window) process.kill(target.pid, 'SIGUSR2');
    const figures: FanOutFigures[] = [];
    for (let run = 0; run < fanOuts; run++) figures.push(await fanOut(userIds));
    if (window) {
      process.kill(target.pid, 'SIGUSR1');
      await sleep(1500);
    }
    // In the order measured: each fan-out adds a row to every inbox, and deeper inboxes cost more.
    const times = figures.map((figure) => figure.timeMs);
    console.log(
      `${name.padEnd(10)} time to last delivery median ${median(times).toFixed(0)} ms [${times.map((time) => time.toFixed(0)).join(' ')}]` +
        `  POSTs answered ${median(figures.map((figure) => figure.answeredMs)).toFixed(0)} ms` +
        `  server CPU per delivery ${median(figures.map((figure) => figure.serverCpuPerDeliveryUs)).toFixed(1)} µs` +
        `  client CPU ${median(figures.map((figure) => figure.clientCpuMs)).toFixed(0)} ms` +
        `  duplicates ${figures.reduce((sum, figure) => sum + figure.duplicates, 0)}`,
    );
  } finally {
    audience = undefined;
    pool.closeAll();
    await target.stop();
  }
}

async function main(): Promise<void> {
  const [starts, fanOuts, ...specs] = process.argv.slice(2);
  if (!(Number(starts) > 0) || !(Number(fanOuts) > 0) || specs.length === 0) {
    console.error('usage: bench/fanout-ab.ts <starts per build> <fan-outs per start> name=dir|floor …');
    process.exit(2);
  }
  // As the runner does (bench/README.md, "Pinning and priority"): run under setsid, so that
  // this session's weight is raised and not another's.
  try {
    writeFileSync('/proc/self/autogroup', '-19');
  } catch (error) {
    console.error(`autogroup priority not raised: ${(error as Error).message}`);
  }
  const secret = randomBytes(24).toString('hex');
  const definitions = targetDefinitions(secret);
  const buildDir = mkdtempSync(path.join(os.tmpdir(), 'fanout-ab-build-'));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'fanout-ab-work-'));
  buildBenchTargets(buildDir);
  const builds = specs.map((spec) => buildOf(spec, definitions));
  for (let start = 0; start < Number(starts); start++) {
    for (const build of builds) await measureBuild(build, Number(fanOuts), buildDir, workDir, new TokenIssuer(secret));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

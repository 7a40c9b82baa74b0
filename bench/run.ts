/**
 * The benchmark runner: `npm run bench [-- --quick] [--only=connect,p2p] [--targets=floor,peer]`.
 *
 * It re-runs itself pinned to CPU 1 (the load client) and starts each server under test pinned
 * to CPU 0, a fresh process and SQLite file (or PostgreSQL database, for the `-pg` targets) per
 * scenario, then prints one table. Only ratios within one run mean anything: the machine is
 * shared and noisy.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Scenario, Sizes } from './load/scenario';
import { connectScenario } from './load/scenarios/connect';
import { fanoutScenario } from './load/scenarios/fanout';
import { flushScenario } from './load/scenarios/flush';
import { idleScenario } from './load/scenarios/idle';
import { inboxScenario } from './load/scenarios/inbox';
import { multinodeScenario } from './load/scenarios/multinode';
import { p2pScenario } from './load/scenarios/p2p';
import { preferencesScenario } from './load/scenarios/preferences';
import { pushScenario } from './load/scenarios/push';
import { describePostgres } from './load/postgres';
import { NoiseWindow } from './load/proc';
import { ResultTable } from './load/table';
import {
  buildBenchTargets,
  CLIENT_CPU,
  AUTOGROUP_NICE,
  DEFAULT_TARGETS,
  PROJECT_DIR,
  REPO_ROOT,
  RunningTarget,
  SERVER_CPU,
  TARGET_NAMES,
  targetDefinitions,
  TargetName,
} from './load/targets';
import { TokenIssuer } from './load/tokens';
import { BENCH_TENANT, TENANT_CLAIM, variant } from './load/variant';

const SCENARIOS: Scenario[] = [
  connectScenario,
  p2pScenario,
  fanoutScenario,
  flushScenario,
  idleScenario,
  multinodeScenario,
  pushScenario,
  preferencesScenario,
  inboxScenario,
];

const FULL: Sizes = {
  connections: 2000,
  connectsPerSecond: 1000,
  p2pUsers: 2000,
  p2pRates: [500, 1000, 2000, 4000],
  p2pPhaseMs: 10_000,
  p2pWarmupMs: 2000,
  drainMs: 10_000,
  fanoutUsers: 5000,
  wideSessions: 10_000,
  flushCount: 1000,
  pushUsers: 1000,
  inboxSize: 100_000,
  idleConnections: 20_000,
  idleWindowMs: 10_000,
  heartbeatWindowMs: 30_000,
};

const QUICK: Sizes = {
  connections: 200,
  connectsPerSecond: 1000,
  p2pUsers: 200,
  p2pRates: [500, 1000, 2000, 4000],
  p2pPhaseMs: 2000,
  p2pWarmupMs: 1000,
  drainMs: 3000,
  fanoutUsers: 1000,
  wideSessions: 2000,
  flushCount: 200,
  pushUsers: 100,
  inboxSize: 5000,
  idleConnections: 2000,
  idleWindowMs: 3000,
  heartbeatWindowMs: 6000,
};

/** Upper bounds so that a stuck target cannot hold the run: per scenario, and for everything. */
const SCENARIO_BUDGET_MS = { full: 240_000, quick: 60_000 };
const RUN_BUDGET_MS = { full: 45 * 60_000, quick: 8 * 60_000 };
/** File descriptors the runner keeps for itself beside the sessions (HTTP pool, stdio, epoll…). */
const DESCRIPTOR_RESERVE = 300;

const USAGE = 'run.ts [--quick] [--only=<scenario,...>] [--targets=<target,...>] [--normal-priority] [--tenancy-preferences | --tenancy]';

interface Options {
  quick: boolean;
  /** --normal-priority: leave the session's scheduling weight alone. */
  raisePriority: boolean;
  scenarios: Scenario[];
  targets: TargetName[];
}

function parseOptions(args: string[]): Options {
  const options: Options = { quick: false, raisePriority: true, scenarios: SCENARIOS, targets: DEFAULT_TARGETS };
  for (const arg of args) {
    const [flag, value = ''] = arg.split('=', 2);
    const list = value.split(',').filter(Boolean);
    if (flag === '--quick') {
      options.quick = true;
    } else if (flag === '--normal-priority') {
      options.raisePriority = false;
    } else if (flag === '--tenancy-preferences') {
      Object.assign(variant, { tenancy: true, preferences: true });
    } else if (flag === '--tenancy') {
      variant.tenancy = true;
    } else if (flag === '--only') {
      const unknown = list.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
      const known = SCENARIOS.map((scenario) => scenario.name).join(', ');
      if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${known}`);
      options.scenarios = SCENARIOS.filter((scenario) => list.includes(scenario.name));
    } else if (flag === '--targets') {
      const unknown = list.filter((name) => !TARGET_NAMES.includes(name as TargetName));
      if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')}; known: ${TARGET_NAMES.join(', ')}`);
      options.targets = TARGET_NAMES.filter((name) => list.includes(name));
    } else {
      throw new Error(`unknown argument ${arg}; usage: ${USAGE}`);
    }
  }
  return options;
}

/**
 * Starts this same script again in a session of its own, pinned to the client CPU, with the
 * descriptor limit raised to the hard limit and a heap for 20,000 client sessions, and mirrors
 * its exit. `--pdeathsig` has the kernel kill it if this process dies.
 */
function runPinned(): void {
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'KILL',
      'setsid',
      'taskset',
      '-c',
      String(CLIENT_CPU),
      'bash',
      '-c',
      'ulimit -n "$(ulimit -Hn)" && exec "$@"',
      'bash',
      process.execPath,
      '--max-old-space-size=4096',
      '-r',
      require.resolve('ts-node/register/transpile-only'),
      __filename,
      ...process.argv.slice(2),
    ],
    { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** See AUTOGROUP_NICE: weights this run's session against the other sessions on the machine. */
function raiseSessionPriority(): void {
  try {
    writeFileSync('/proc/self/autogroup', String(AUTOGROUP_NICE));
  } catch (error) {
    log(`running at normal priority, figures will be noisier: ${(error as Error).message}`);
  }
}

function openFileLimit(): number {
  const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match ? Number(match[1]) : 1024;
}

function noiseLabel(scenario: Scenario): string {
  return `${scenario.name}: others on CPU ${SERVER_CPU} % | on CPU ${CLIENT_CPU} %`;
}

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} exceeded its ${ms / 1000} s budget`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const mode = options.quick ? 'quick' : 'full';
  if (options.raisePriority) raiseSessionPriority();
  const sizes = { ...(options.quick ? QUICK : FULL) };
  const descriptorLimit = openFileLimit();
  if (sizes.idleConnections > descriptorLimit - DESCRIPTOR_RESERVE) {
    sizes.idleConnections = Math.floor((descriptorLimit - DESCRIPTOR_RESERVE) / 100) * 100;
    log(`open-file limit is ${descriptorLimit}: idle capacity measured with ${sizes.idleConnections} sessions`);
  }

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'notifications-bench-'));
  const buildDir = path.join(workDir, 'build');
  const running = new Set<RunningTarget>();
  const cleanUp = () => {
    for (const target of running) target.killNow();
    rmSync(workDir, { recursive: true, force: true });
  };
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  // If the outer runner dies, this one is orphaned to init: stop rather than run on unseen.
  setInterval(() => process.ppid === 1 && process.exit(1), 1000).unref();

  const table = new ResultTable(options.targets);
  // PostgreSQL is not pinned: it runs on both cores, beside the server and the load client alike.
  const postgres = options.targets.some((name) => name.endsWith('-pg')) ? await describePostgres() : undefined;
  const failures: string[] = [];
  const printTable = () => {
    console.log(`\nnotification server benchmark — ${new Date().toISOString()} — ${mode} run`);
    console.log(
      `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ` +
        `servers on CPU ${SERVER_CPU}, load client on CPU ${CLIENT_CPU}` +
        (PROJECT_DIR === REPO_ROOT ? '' : `; project built in ${PROJECT_DIR}`) +
        (variant.tenancy ? `; project with TENANT_CLAIM=${TENANT_CLAIM}` : '') +
        (variant.preferences ? ' and preferences stored for every user' : '') +
        (postgres?.description ? `; ${postgres.description} (not pinned), a fresh database per scenario` : '') +
        '\n',
    );
    console.log(table.render());
    for (const failure of failures) console.log(`\n! ${failure}`);
  };
  const runBudget = setTimeout(() => {
    failures.push(`run stopped after its ${RUN_BUDGET_MS[mode] / 60_000} min budget`);
    printTable();
    process.exit(2);
  }, RUN_BUDGET_MS[mode]);

  buildBenchTargets(buildDir);
  const secret = randomBytes(32).toString('hex');
  const tokens = new TokenIssuer(secret, variant.tenancy ? { [TENANT_CLAIM]: BENCH_TENANT } : {});
  const definitions = targetDefinitions(secret, postgres?.unavailable);

  // Scenario by scenario, each target in turn: drift in the machine's load hits all columns alike.
  for (const scenario of options.scenarios) {
    const labels = scenario.needsTarget ? [...scenario.labels(sizes), noiseLabel(scenario)] : scenario.labels(sizes);
    table.addLabels(labels);
    for (const name of TARGET_NAMES) {
      const definition = definitions[name];
      const unavailable = definition.unavailableReason();
      if (!options.targets.includes(name)) {
        table.fill(name, labels, 'not run');
      } else if (!scenario.needsTarget) {
        for (const metric of await scenario.run({} as never)) table.set(name, metric);
      } else if (unavailable) {
        table.fill(name, labels, 'n/a');
        if (!failures.some((failure) => failure.startsWith(name))) failures.push(`${name}: n/a, ${unavailable}`);
      } else {
        log(`${name}: ${scenario.name}`);
        let target: RunningTarget | undefined;
        try {
          target = await RunningTarget.start(definition, buildDir, workDir);
          running.add(target);
          const what = `${name} ${scenario.name}`;
          const context = { target, tokens, sizes, log: (message: string) => log(`${what}: ${message}`) };
          const serverCoreNoise = new NoiseWindow(SERVER_CPU, target.pid);
          const clientCoreNoise = new NoiseWindow(CLIENT_CPU, 'self');
          const metrics = await withTimeout(scenario.run(context), SCENARIO_BUDGET_MS[mode], what);
          for (const metric of metrics) table.set(name, metric);
          const noise = [serverCoreNoise.othersPercent(), clientCoreNoise.othersPercent()].map((p) => p.toFixed(0));
          table.set(name, { label: noiseLabel(scenario), value: noise.join(' | ') });
        } catch (error) {
          const message = (error as Error).message;
          log(`${name} ${scenario.name} failed: ${message}`);
          const output = target ? `\n  last output: ${target.recentOutput.slice(-500)}` : '';
          failures.push(`${name} ${scenario.name} failed: ${message}${output}`);
          table.fill(name, labels, 'failed');
        } finally {
          await target?.stop();
          if (target) running.delete(target);
        }
      }
    }
  }
  clearTimeout(runBudget);
  printTable();
}

if (process.env.BENCH_PINNED) {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
} else {
  runPinned();
}

/**
 * The servers under test: how each is built and started, pinned to CPU 0, on a free port with
 * a fresh SQLite file or PostgreSQL database, and how it is stopped.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import ts from 'typescript';
import { createDatabase, dropDatabase, dropDatabaseNow } from './postgres';
import { ProtocolName } from './protocols';
import { TENANT_CLAIM, variant } from './variant';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_CPU = 0;
export const CLIENT_CPU = 1;
/**
 * The machine is shared, and Linux schedules each session (autogroup) fairly before it looks at
 * nice values: a compiler started in another session takes half of a pinned core, and its time
 * shows up as our latency. So the runner runs in a session of its own (setsid) whose autogroup
 * gets this nice value; the servers it starts inherit it. Others keep a share; it is a weight.
 */
export const AUTOGROUP_NICE = -19;

export type TargetName = 'project' | 'floor' | 'peer' | 'project-pg' | 'floor-pg';
export const TARGET_NAMES: TargetName[] = ['project', 'floor', 'peer', 'project-pg', 'floor-pg'];
/** What runs without --targets: the SQLite targets. The `-pg` ones are asked for by name. */
export const DEFAULT_TARGETS: TargetName[] = ['project', 'floor', 'peer'];

export interface TargetDefinition {
  name: TargetName;
  protocol: ProtocolName;
  /** Where it stores: a fresh SQLite file per start, or a fresh PostgreSQL database (./postgres). */
  storage: 'sqlite' | 'postgres';
  /** Why the target cannot run here, or undefined when it can. */
  unavailableReason(): string | undefined;
  /** The script node runs, with what flags, and the environment it reads, given a port and a database (file or URL). */
  launch(buildDir: string, port: number, database: string): { script: string; nodeArgs?: string[]; env: Record<string, string> };
}

/**
 * The checkout whose build is the `project` target: this one, or BENCH_PROJECT_DIR (another
 * checkout, built, e.g. an older commit in a git worktree), so that a change's before and after
 * are measured by the same load client against the same floor.
 */
export const PROJECT_DIR = path.resolve(process.env.BENCH_PROJECT_DIR ?? REPO_ROOT);

/** The flags `npm start` gives node (that checkout's package.json), so the two cannot differ. */
const PROJECT_NODE_ARGS = (JSON.parse(readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8')).scripts.start as string)
  .split(' ')
  .filter((word) => word.startsWith('--'));

/**
 * Why the server at `script` would not measure its own checkout: since the server became a
 * workspace it loads the library as `nest-live-notifications`, which a worktree whose
 * node_modules is a link to this checkout's resolves to this checkout's build, not its own.
 * Then a before/after compares today's library with itself. Undefined when it resolves inside
 * PROJECT_DIR (or the server does not load it: checkouts from before the split).
 */
function libraryOutsideCheckout(script: string): string | undefined {
  let resolved: string;
  try {
    // In a process of its own, started where the server is: this runner is inside the library's
    // own package, and Node resolves a package's own name to itself whatever paths it is given.
    resolved = execFileSync(process.execPath, ['-p', "require('fs').realpathSync(require.resolve('nest-live-notifications'))"], {
      cwd: path.dirname(script),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
  const checkout = realpathSync(PROJECT_DIR);
  if (resolved.startsWith(checkout + path.sep)) return undefined;
  return `its server would load the library from ${path.dirname(path.dirname(resolved))}, not ${checkout}: link it with ln -s ${checkout} ${path.join(checkout, 'server', 'node_modules', 'nest-live-notifications')}`;
}

/**
 * `postgresUnavailable`: why PostgreSQL cannot be used (checked by the runner before it starts
 * anything), which makes the `-pg` targets n/a.
 */
export function targetDefinitions(jwtSecret: string, postgresUnavailable?: string): Record<TargetName, TargetDefinition> {
  // server/dist since the server became a workspace; dist/ in checkouts from before (BENCH_PROJECT_DIR).
  const serverScript = path.join(PROJECT_DIR, 'server', 'dist', 'main.js');
  const legacyScript = path.join(PROJECT_DIR, 'dist', 'main.js');
  const projectScript = existsSync(serverScript) || !existsSync(legacyScript) ? serverScript : legacyScript;
  const projectUnavailable = () =>
    existsSync(projectScript) ? libraryOutsideCheckout(projectScript) : 'server/dist/main.js missing (npm run build)';
  const projectLaunch = (port: number, databaseUrl: string) => ({
    script: projectScript,
    // As `npm start` and the Docker image run it (docs/operations.md, "Memory").
    nodeArgs: PROJECT_NODE_ARGS,
    env: {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      // Deployed the way operators run it (JSON logs, production checks)...
      NODE_ENV: 'production',
      // ...but without the per-sender flood limit, which the p2p rates exceed by design.
      SEND_RATE_LIMIT_PER_MINUTE: '1000000',
      ...(variant.tenancy ? { TENANT_CLAIM } : {}),
    },
  });
  return {
    project: {
      name: 'project',
      protocol: 'contract',
      storage: 'sqlite',
      unavailableReason: projectUnavailable,
      launch: (_buildDir, port, databaseFile) => projectLaunch(port, `sqlite:${databaseFile}`),
    },
    floor: {
      name: 'floor',
      protocol: 'contract',
      storage: 'sqlite',
      unavailableReason: () => undefined,
      launch: (buildDir, port, databaseFile) => ({
        script: path.join(buildDir, 'floor', 'server.js'),
        env: { PORT: String(port), DATABASE_FILE: databaseFile, JWT_SECRET: jwtSecret },
      }),
    },
    peer: {
      name: 'peer',
      protocol: 'socket.io',
      storage: 'sqlite',
      unavailableReason: () => undefined,
      launch: (buildDir, port, databaseFile) => ({
        script: path.join(buildDir, 'peer', 'main.js'),
        env: { PORT: String(port), DATABASE_FILE: databaseFile, JWT_SECRET: jwtSecret },
      }),
    },
    'project-pg': {
      name: 'project-pg',
      protocol: 'contract',
      storage: 'postgres',
      unavailableReason: () => postgresUnavailable ?? projectUnavailable(),
      launch: (_buildDir, port, databaseUrl) => projectLaunch(port, databaseUrl),
    },
    'floor-pg': {
      name: 'floor-pg',
      protocol: 'contract',
      storage: 'postgres',
      unavailableReason: () => postgresUnavailable,
      launch: (buildDir, port, databaseUrl) => ({
        script: path.join(buildDir, 'floor', 'postgres.js'),
        env: { PORT: String(port), DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret },
      }),
    },
  };
}

/**
 * Compiles bench/floor and bench/peer to JavaScript, so that every target runs on plain
 * `node` and no column carries the TypeScript compiler in its memory figures.
 */
export function buildBenchTargets(buildDir: string): void {
  const compilerOptions: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  };
  for (const folder of ['floor', 'peer']) {
    const sourceDir = path.join(REPO_ROOT, 'bench', folder);
    mkdirSync(path.join(buildDir, folder), { recursive: true });
    for (const file of readdirSync(sourceDir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(path.join(sourceDir, file), 'utf8');
      const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: file });
      writeFileSync(path.join(buildDir, folder, file.replace(/\.ts$/, '.js')), outputText);
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Any HTTP answer at all (even 404) means the server is accepting requests. */
function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Extra `node` arguments for the servers, e.g. BENCH_TARGET_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function nodeArgumentsForTargets(): string[] {
  return (process.env.BENCH_TARGET_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RunningTarget {
  private readonly outputTail: string[] = [];
  private exited = false;

  private constructor(
    readonly definition: TargetDefinition,
    readonly port: number,
    private readonly child: ChildProcess,
    /** The SQLite file, or the PostgreSQL database's name. */
    private readonly database: string,
    /** Where it was started from, so that a scenario can start more nodes like it. */
    readonly buildDir: string,
    readonly workDir: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.outputTail.push(...chunk.toString().split('\n').filter(Boolean));
      this.outputTail.splice(0, Math.max(0, this.outputTail.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => (this.exited = true));
  }

  /**
   * Starts a target pinned to the server CPU (at the runner's priority) with the file-descriptor
   * limit raised to the hard limit. `setpriv --pdeathsig` makes the kernel kill it if the runner dies, and `exec`
   * keeps one pid from setpriv to node, so /proc/<pid> is the server itself.
   */
  static async start(definition: TargetDefinition, buildDir: string, workDir: string): Promise<RunningTarget> {
    const port = await freePort();
    const file = path.join(workDir, `${definition.name}-${port}.sqlite`);
    const database = definition.storage === 'postgres' ? await createDatabase() : { name: file, url: file };
    const { script, nodeArgs = [], env } = definition.launch(buildDir, port, database.url);
    const child = spawn(
      'setpriv',
      [
        '--pdeathsig',
        'KILL',
        'taskset',
        '-c',
        String(SERVER_CPU),
        'bash',
        '-c',
        'ulimit -n "$(ulimit -Hn)" && exec "$@"',
        'bash',
        process.execPath,
        ...nodeArgs,
        ...nodeArgumentsForTargets(),
        script,
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const target = new RunningTarget(definition, port, child, database.name, buildDir, workDir);
    const deadline = performance.now() + 60_000;
    while (!(await answersHttp(port))) {
      if (target.exited || performance.now() > deadline) {
        await target.stop();
        throw new Error(`${definition.name} did not start:\n${target.outputTail.join('\n')}`);
      }
      await sleep(100);
    }
    return target;
  }

  get name(): TargetName {
    return this.definition.name;
  }

  get protocol(): ProtocolName {
    return this.definition.protocol;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The last lines the server printed, for error reports. */
  get recentOutput(): string {
    return this.outputTail.join('\n');
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const gracefully = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!gracefully) {
        this.child.kill('SIGKILL');
        await exited;
      }
    }
    if (this.definition.storage === 'postgres') {
      // A database left behind is a nuisance, not a reason to lose the run's table.
      await dropDatabase(this.database).catch((error: Error) => process.stderr.write(`drop ${this.database}: ${error.message}\n`));
    } else for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(this.database + suffix, { force: true });
  }

  /** For exit handlers, where nothing can be awaited. */
  killNow(): void {
    if (!this.exited) this.child.kill('SIGKILL');
    if (this.definition.storage === 'postgres') dropDatabaseNow(this.database);
  }
}

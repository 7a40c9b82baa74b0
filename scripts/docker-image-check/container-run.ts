import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BuiltStage } from './stage-builder';

/** Docker's default for how long `docker stop` waits after STOPSIGNAL before it kills. */
const STOP_TIMEOUT_MS = 10_000;
/** How often the HEALTHCHECK command is tried during the start period (Docker: --interval). */
const PROBE_EVERY_MS = 250;

/**
 * Starts the final stage's CMD the way `docker run` would — in its WORKDIR, with its ENV —
 * waits until its HEALTHCHECK command passes within the start period, and stops it with its
 * STOPSIGNAL, expecting a clean exit before Docker would kill it. Overridden, as a user of
 * the image must or may: `PORT` (a free port here), `JWT_SECRET` (production requires a key),
 * and a `sqlite:` `DATABASE_URL` into the stage's directory (the image's `/data` volume).
 */
export async function runContainer(stage: BuiltStage, log: (line: string) => void): Promise<void> {
  if (!stage.cmd) throw new Error(`stage ${stage.name} has no CMD`);
  if (!stage.healthcheck) throw new Error(`stage ${stage.name} has no HEALTHCHECK`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...stage.env,
    PORT: String(await freePort()),
    JWT_SECRET: randomBytes(32).toString('hex'),
  };
  if (env.DATABASE_URL?.startsWith('sqlite:/')) env.DATABASE_URL = `sqlite:${join(stage.root, env.DATABASE_URL.slice('sqlite:'.length))}`;
  log(`-- run: ${stage.cmd.join(' ')}   (NODE_ENV=${env.NODE_ENV ?? ''}, PORT=${env.PORT}, DATABASE_URL=${env.DATABASE_URL ?? ''})`);

  const cwd = join(stage.root, stage.workdir);
  const container = spawn(stage.cmd[0], stage.cmd.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  container.stdout!.on('data', (chunk) => (output += chunk));
  container.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(container, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    const startPeriodMs = durationMs(stage.healthcheck.options['start-period'] ?? '0s');
    await waitHealthy(stage.healthcheck.argv, { cwd, env }, startPeriodMs, exited);
    log(`   HEALTHCHECK passed: ${stage.healthcheck.argv.slice(0, 2).join(' ')} …`);
    const signal = stage.stopSignal ?? 'SIGTERM';
    container.kill(signal);
    const [code, killedBy] = await Promise.race([
      exited,
      timeout(STOP_TIMEOUT_MS, `did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}`),
    ]);
    if (code !== 0) throw new Error(`exited with ${code ?? killedBy} after ${signal}, not 0`);
    log(`   ${signal}: exited 0`);
  } catch (error) {
    container.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- the container's output:\n${output}`);
  }
}

async function waitHealthy(
  argv: string[],
  options: { cwd: string; env: Record<string, string> },
  startPeriodMs: number,
  exited: Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + startPeriodMs;
  let containerExited = false;
  void exited.then(() => (containerExited = true));
  for (;;) {
    if (containerExited) throw new Error('the container exited before its HEALTHCHECK passed');
    if ((await exitCode(spawn(argv[0], argv.slice(1), { ...options, stdio: 'ignore' }))) === 0) return;
    if (Date.now() > deadline) throw new Error(`HEALTHCHECK still failing after the start period (${startPeriodMs} ms)`);
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

function timeout(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Docker durations as HEALTHCHECK takes them: `20s`, `1m30s`, `500ms`. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const parts = text.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g);
  if (!parts || parts.join('') !== text) throw new Error(`"${text}" is not a Docker duration`);
  for (const part of parts) {
    const [, value, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part)!;
    total += Number(value) * units[unit];
  }
  return total;
}

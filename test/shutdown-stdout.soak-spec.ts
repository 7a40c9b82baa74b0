import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { temporaryDirectory } from './support/test-server';
import { TEST_SECRET } from './support/tokens';

const ROOT = join(__dirname, '..');
/**
 * docs/hardening.md: sessions get 1 s to close, requests in flight 10 s, and whatever still
 * hangs after 12 s ends the process anyway.
 */
const SHUTDOWN_DEADLINE_MS = 12_000;

interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  /** What the process wrote on stdout and stderr (while stdout was read). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built server (`node server/dist/main.js`) with stdout and stderr piped here, and resolves once it listens. */
async function spawnServer(logFormat: 'json' | 'pretty', databasePath: string): Promise<RunningServer> {
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      JWT_SECRET: TEST_SECRET,
      DATABASE_URL: `sqlite:${databasePath}`,
      NO_COLOR: '1',
      LOG_FORMAT: logFormat,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on http:\/\/\S+:(\d+)/.exec(output);
      if (listening) resolve(Number(listening[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** The reader of the server's stdout goes away, as when the process that spawned it dies. */
function closeStdoutReader(server: RunningServer): void {
  server.child.stdout!.destroy();
}

/** Requests that each log a line (401s): dozens of KiB of log, so stdout is written to many times. */
async function logLines(server: RunningServer, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const response = await fetch(`${server.baseUrl}/notifications?line=${index}`);
    expect(response.status).toBe(401);
    await response.text();
  }
}

/** SIGTERM, and how long until the process is gone. */
async function terminate(server: RunningServer): Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }> {
  const start = Date.now();
  server.child.kill('SIGTERM');
  // Past the deadline the test has its answer: no need to wait for a hung process.
  const killer = setTimeout(() => server.child.kill('SIGKILL'), SHUTDOWN_DEADLINE_MS + 15_000);
  const exit = await server.exited;
  clearTimeout(killer);
  return { ...exit, elapsedMs: Date.now() - start };
}

describe('SIGTERM when stdout is gone', () => {
  const directory = temporaryDirectory();
  const running: RunningServer[] = [];
  const start = async (logFormat: 'json' | 'pretty') => {
    const server = await spawnServer(logFormat, join(directory.path, `${logFormat}-${running.length}.sqlite`));
    running.push(server);
    return server;
  };

  afterAll(() => {
    for (const { child } of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    directory.remove();
  });

  it.each(['json', 'pretty'] as const)(
    'keeps serving after its stdout reader went away, and exits 0 on SIGTERM within the deadline (LOG_FORMAT=%s)',
    async (logFormat) => {
      const server = await start(logFormat);
      closeStdoutReader(server);
      await logLines(server, 200);
      expect((await fetch(`${server.baseUrl}/health/live`)).status).toBe(200);

      const { code, signal, elapsedMs } = await terminate(server);
      console.log(`LOG_FORMAT=${logFormat}, stdout gone: exited ${code ?? signal} ${elapsedMs} ms after SIGTERM`);
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(elapsedMs).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    },
  );

  it('exits within the deadline with a request that never finishes and stdout gone', async () => {
    const server = await start('json');
    closeStdoutReader(server);
    // An upload that stops half-way: a request in flight that shutdown waits for, up to its 10 s.
    const upload = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => upload.once('connect', resolve));
    upload.write('POST /notifications HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"user');
    try {
      await logLines(server, 50);
      const { code, signal, elapsedMs } = await terminate(server);
      console.log(`A stalled upload, stdout gone: exited ${code ?? signal} ${elapsedMs} ms after SIGTERM`);
      expect(signal).toBeNull();
      expect(elapsedMs).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    } finally {
      upload.destroy();
    }
  });

  it('finishes its shutdown (its last log line says so) before it exits', async () => {
    const server = await start('json');
    const { code } = await terminate(server);
    expect(code).toBe(0);
    const lines = server
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).msg as string);
    expect(lines.slice(-2)).toEqual(['SIGTERM: shutting down', 'Shut down']);
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_SECRET } from '../../support/tokens';
import { freePort } from './services';

const MAIN = join(__dirname, '../../../server/dist/main.js');

/** One real server process (`node server/dist/main.js`) on a loopback port. */
export class NodeProcess {
  private output = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  /** Starts a node and waits until it listens. */
  static async start(name: string, env: Record<string, string>): Promise<NodeProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, JWT_SECRET: TEST_SECRET, PORT: String(port), NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const node = new NodeProcess(name, port, child);
    await node.waitForOutput(/Listening on/, 30_000);
    return node;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the process printed (for failure messages). */
  get log(): string {
    return this.output;
  }

  /** Waits until the process prints something matching `pattern`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.isRunning) throw new Error(`${this.name} exited before printing ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no shutdown hooks, no goodbye to Redis or the clients. */
  async kill(): Promise<void> {
    if (this.isRunning) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, the orderly shutdown; SIGKILL if it hangs. */
  async stop(): Promise<void> {
    if (!this.isRunning) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

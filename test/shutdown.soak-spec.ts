import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createServer } from '../src/server/create-server';
import { loadServerSettings } from '../src/server/server-settings';
import { request, send } from './support/http';
import { startServer, temporaryDirectory } from './support/test-server';
import { senderToken, TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const ROOT = join(__dirname, '..');

/**
 * The client SDK, loaded at run time: the server's tsconfig has no DOM types, which the SDK's
 * browser code needs (the SDK is type-checked by its own tsconfig).
 */
interface SdkClient {
  on(event: string, listener: (payload: any) => void): () => void;
  close(): void;
}
const { connect } = jest.requireActual<{ connect(options: Record<string, unknown>): SdkClient }>('../client/src');

/** Runs the built server (`node dist/main.js`) and resolves once it listens. */
function spawnServer(databasePath: string): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', JWT_SECRET: TEST_SECRET, DATABASE_URL: `sqlite:${databasePath}`, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on http:\/\/\S+:(\d+)/.exec(output);
      if (listening) resolve({ child, port: Number(listening[1]), output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('close', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
}

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SIGTERM on the built server', () => {
  it('stops accepting, closes sessions with 1001, finishes requests in flight, exits 0, and loses nothing', async () => {
    const directory = temporaryDirectory();
    const databasePath = join(directory.path, 'notifications.sqlite');
    const { child, port, output } = await spawnServer(databasePath);
    const baseUrl = `http://127.0.0.1:${port}`;
    const wsUrl = `ws://127.0.0.1:${port}`;
    try {
      const first = await send(baseUrl, senderToken(), { userIds: ['drain-user'], title: 'before' });
      const client = await TestClient.open(wsUrl, tokenFor('drain-user'));
      const [delivered] = await client.waitFor('notification', 1);
      expect(delivered.data.id).toBe(first.body.id);

      // The SDK, too: it will reconnect to whoever listens on this address next.
      const sdk = connect({
        url: baseUrl,
        token: () => tokenFor('drain-user'),
        WebSocket,
        shutdownWindowMs: 200,
        backoffBaseMs: 100,
      });
      const sdkIds: string[] = [];
      const sdkCloses: number[] = [];
      sdk.on('notification', (notification: { id: string }) => void sdkIds.push(notification.id));
      sdk.on('closed', ({ code }) => void sdkCloses.push(code));
      await new Promise<void>((resolve) => sdk.on('ready', () => resolve()));

      // Sends race the signal: each one either completes (201) or is never accepted (0).
      const exited = exitOf(child);
      const racing = Array.from({ length: 30 }, (_, index) =>
        send(baseUrl, senderToken(), { userIds: ['drain-user'], title: `racing ${index}` }).then(
          (response) => response,
          (error: Error) => ({ status: 0, body: undefined, error }),
        ),
      );
      // Signal once the server is busy with them: the rest are in flight.
      await Promise.race(racing);
      child.kill('SIGTERM');
      const responses = await Promise.all(racing);

      expect(await client.waitForClose()).toBe(1001);
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(output()).toContain('SIGTERM: shutting down');
      for (const response of responses) expect([0, 201]).toContain(response.status);
      await expect(fetch(`${baseUrl}/health`)).rejects.toThrow();

      // Another node on the same database: the client resumes from its cursor and gets every
      // acknowledged send, nothing twice.
      const successor = await startServer({ databasePath });
      // A second node takes over the address the SDK knows.
      const settings = loadServerSettings({ JWT_SECRET: TEST_SECRET, DATABASE_URL: `sqlite:${databasePath}` });
      const sameAddress = await createServer(settings, false);
      await sameAddress.listen(port, '127.0.0.1');
      try {
        const resumed = await TestClient.open(successor.wsUrl, tokenFor('drain-user'), delivered.data.cursor);
        await resumed.roundTrip();
        const accepted = responses.filter((response) => response.status === 201).map((response) => response.body.id);
        console.log(
          `${accepted.length} of ${responses.length} sends racing SIGTERM were accepted; the rest got a connection error and stored nothing`,
        );
        const resumedIds = resumed.all('notification').map((frame) => frame.data.id);
        expect(resumedIds.sort()).toEqual(accepted.sort());
        const inbox = await request(successor.baseUrl, 'GET', '/notifications?limit=100', { token: tokenFor('drain-user') });
        expect(inbox.body.items).toHaveLength(accepted.length + 1);
        await resumed.close();

        expect(sdkCloses[0]).toBe(1001);
        const everything = [first.body.id, ...accepted].sort();
        await waitUntil(() => sdkIds.length >= everything.length);
        expect([...sdkIds].sort()).toEqual(everything);
        sdk.close();
      } finally {
        await sameAddress.close();
        await successor.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      directory.remove();
    }
  });
});

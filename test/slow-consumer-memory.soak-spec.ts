import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { send } from './support/http';
import { temporaryDirectory } from './support/test-server';
import { senderToken, TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const SLOW_CLIENTS = 5;
const SENDS = 2000;
/** The default cap (1 MiB) per stalled session, plus room for the heap's own growth. */
const BOUND_BYTES = SLOW_CLIENTS * 1024 * 1024 + 30_000_000;
/**
 * 20 KB per notification: 2000 of them are 40 MB per stalled client. Loopback socket buffers
 * hold several MB of it; without the cap the rest (~50 MB here) piles up in the server.
 */
const NOTIFICATION = { type: 'bulk', title: 'memory', body: 'y'.repeat(5000), data: { blob: 'x'.repeat(15_000) } };

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D/g, '')) * 1024;
}

function spawnServer(databasePath: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      PORT: '0',
      JWT_SECRET: TEST_SECRET,
      DATABASE_URL: `sqlite:${databasePath}`,
      WS_MAX_SESSIONS_PER_USER: String(SLOW_CLIENTS),
      SEND_RATE_LIMIT_PER_MINUTE: '100000',
      ...(process.env.SOAK_BUFFER ? { WS_MAX_BUFFERED_BYTES: process.env.SOAK_BUFFER } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on http:\/\/\S+:(\d+)/.exec(output);
      if (listening) resolve({ child, port: Number(listening[1]) });
    });
    child.once('close', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

describe('Slow consumers and server memory', () => {
  it('keeps the server RSS bounded while clients stop reading, and a reading client keeps up', async () => {
    const directory = temporaryDirectory();
    const { child, port } = await spawnServer(join(directory.path, 'notifications.sqlite'));
    const wsUrl = `ws://127.0.0.1:${port}`;
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      const sendAll = async (userIds: string[]) => {
        for (let index = 0; index < SENDS; index++) {
          expect((await send(baseUrl, senderToken(), { ...NOTIFICATION, userIds })).status).toBe(201);
        }
      };
      const reader = await TestClient.open(wsUrl, tokenFor('reader'));
      // The same traffic without stalled clients first, so that the heap, the SQLite page cache
      // and the allocator have grown to their working size before the baseline is taken.
      await sendAll(['reader']);
      await reader.waitFor('notification', SENDS, 30_000);
      const baseline = rssOf(child.pid!);

      const slow = await Promise.all(Array.from({ length: SLOW_CLIENTS }, () => TestClient.open(wsUrl, tokenFor('stalled'))));
      for (const client of slow) (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      await sendAll(['stalled', 'reader']);
      await reader.waitFor('notification', 2 * SENDS, 30_000);
      const after = rssOf(child.pid!);
      const addressed = SLOW_CLIENTS * SENDS * 20_000;
      console.log(
        `server RSS ${(baseline / 1e6).toFixed(0)} MB → ${(after / 1e6).toFixed(0)} MB after ${SENDS} × 20 KB to ` +
          `${SLOW_CLIENTS} stalled clients (${(addressed / 1e6).toFixed(0)} MB addressed to them)`,
      );
      expect(after - baseline).toBeLessThan(BOUND_BYTES);
      for (const client of slow) client.socket.terminate();
      await reader.close();
    } finally {
      child.kill('SIGKILL');
      directory.remove();
    }
  });
});

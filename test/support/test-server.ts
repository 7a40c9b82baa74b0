import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../../src/server/create-server';
import { loadServerSettings } from '../../src/server/server-settings';
import { TEST_SECRET } from './tokens';

/** A real standalone server on a loopback port with its own SQLite file. */
export interface TestServer {
  app: INestApplication;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  databasePath: string;
  close(): Promise<void>;
}

/** A fresh directory for one suite's database files; removed by the returned cleanup. */
export function temporaryDirectory(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'notifications-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function startServer(
  /** `port`: listen there instead of a free one (a restart on the same address). */
  options: { databasePath?: string; env?: Record<string, string>; port?: number } = {},
): Promise<TestServer> {
  const directory = options.databasePath ? undefined : temporaryDirectory();
  const databasePath = options.databasePath ?? join(directory!.path, 'notifications.sqlite');
  const settings = loadServerSettings({
    JWT_SECRET: TEST_SECRET,
    DATABASE_URL: `sqlite:${databasePath}`,
    PORT: '0',
    ...options.env,
  });
  const app = await createServer(settings, false);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    databasePath,
    close: async () => {
      await app.close();
      directory?.remove();
    },
  };
}

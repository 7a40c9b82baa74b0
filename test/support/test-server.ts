import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
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
  // The service suite runs some of these specs again on PostgreSQL (a fresh database per server).
  const postgres = !options.databasePath && !options.env?.DATABASE_URL && process.env.TEST_POSTGRES_ADMIN_URL
    ? await createPostgresDatabase(process.env.TEST_POSTGRES_ADMIN_URL)
    : undefined;
  const directory = options.databasePath || postgres ? undefined : temporaryDirectory();
  const databasePath = options.databasePath ?? (postgres ? '' : join(directory!.path, 'notifications.sqlite'));
  const settings = loadServerSettings({
    JWT_SECRET: TEST_SECRET,
    DATABASE_URL: postgres?.url ?? `sqlite:${databasePath}`,
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
      await postgres?.drop();
    },
  };
}

/** A fresh PostgreSQL database next to `adminUrl`'s; `drop()` removes it. */
export async function createPostgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `notif_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

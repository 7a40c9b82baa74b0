import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../../server/src/create-server';
import { loadServerSettings } from '../../server/src/server-settings';
import { TEST_SECRET } from './tokens';

/** A real standalone server on a loopback port with its own database. */
export interface TestServer {
  app: INestApplication;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  /** The SQLite file ('' on PostgreSQL). */
  databasePath: string;
  /** The database it runs on: pass it to another server to share it (or to restart on it). */
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * A database that outlives the servers started on it (several nodes, a restart): a fresh
 * PostgreSQL database when the service suite sets TEST_POSTGRES_ADMIN_URL, else a SQLite
 * file in a fresh directory. `remove()` deletes it.
 */
export interface TestDatabase {
  url: string;
  /** The SQLite file ('' on PostgreSQL). */
  path: string;
  remove(): Promise<void>;
}

/** A fresh directory for one suite's database files; removed by the returned cleanup. */
export function temporaryDirectory(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'notifications-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  // The service suite runs some of these specs again on PostgreSQL (a fresh database per server).
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL;
  if (adminUrl) return createPostgresDatabase(adminUrl);
  const directory = temporaryDirectory();
  const path = join(directory.path, 'notifications.sqlite');
  return { url: `sqlite:${path}`, path, remove: async () => directory.remove() };
}

export async function startServer(
  options: {
    /** A database another server uses (or used); the caller removes it. */
    database?: TestDatabase;
    /** A SQLite file of the caller's, whatever the suite's engine. */
    databasePath?: string;
    env?: Record<string, string>;
    /** Listen there instead of a free one (a restart on the same address). */
    port?: number;
  } = {},
): Promise<TestServer> {
  const owned = !options.database && !options.databasePath && !options.env?.DATABASE_URL ? await createTestDatabase() : undefined;
  const database: TestDatabase = options.database ??
    owned ?? { url: `sqlite:${options.databasePath}`, path: options.databasePath ?? '', remove: async () => undefined };
  const settings = loadServerSettings({
    JWT_SECRET: TEST_SECRET,
    DATABASE_URL: database.url,
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
    databasePath: database.path,
    database,
    close: async () => {
      await app.close();
      await owned?.remove();
    },
  };
}

/** A fresh PostgreSQL database next to `adminUrl`'s. */
async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
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
  return { url: url.toString(), path: '', remove: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

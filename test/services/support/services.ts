import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource, Logger } from 'typeorm';
import { NOTIFICATIONS_MIGRATIONS } from '../../../src/persistence/migrations';
import { NOTIFICATIONS_ENTITIES } from '../../../src/persistence/entities';

/** The machine's PostgreSQL (trust auth) and Redis, as .ci/run ensures they run. */
export const POSTGRES_ADMIN_URL = process.env.SERVICES_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_PORT = Number(process.env.SERVICES_REDIS_PORT ?? 6379);
export const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;

/** A name no other run uses: `notif_<hex>`. */
export function uniqueName(): string {
  return `notif_${randomBytes(5).toString('hex')}`;
}

/** A fresh PostgreSQL database for one suite; `drop()` removes it (and ends its connections). */
export async function createDatabase(): Promise<{
  name: string;
  url: string;
  query: (sql: string, values?: unknown[]) => Promise<any[]>;
  drop: () => Promise<void>;
}> {
  const name = uniqueName();
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    query: async (sql, values) => {
      const client = new Client({ connectionString: url.toString() });
      await client.connect();
      try {
        return (await client.query(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined),
  };
}

/** A DataSource on a database of createDatabase(), migrated; `logger` sees every statement. */
export async function migratedDataSource(url: string, logger?: Logger): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: NOTIFICATIONS_ENTITIES,
    migrations: NOTIFICATIONS_MIGRATIONS,
    ...(logger ? { logging: true, logger } : {}),
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

async function admin(sql: string): Promise<unknown> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A loopback port free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function redisAnswers(): boolean {
  try {
    return (
      execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(REDIS_PORT), 'ping'], { encoding: 'utf8', stdio: 'pipe' }).trim() ===
      'PONG'
    );
  } catch {
    // redis-cli exits non-zero when nothing listens: that is the answer.
    return false;
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops the shared Redis (without saving) and waits until it no longer answers. */
export async function stopRedis(): Promise<void> {
  try {
    execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(REDIS_PORT), 'shutdown', 'nosave'], { stdio: 'pipe' });
  } catch {
    // redis-cli reports the dropped connection of a successful shutdown as an error.
  }
  await until(() => !redisAnswers(), 'Redis to stop');
}

/** Starts Redis if it does not answer, and waits until it does. */
export async function startRedis(): Promise<void> {
  if (redisAnswers()) return;
  execFileSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(REDIS_PORT), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'pipe',
    },
  );
  await until(redisAnswers, 'Redis to start');
}

/** Deletes every key under a run's prefix (a killed node leaves its registrations behind until another node's heartbeat removes them). */
export async function deleteRedisKeys(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** A redis-server of one test's own, on a free port: one it may flush or stop without touching the shared Redis. */
export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

/** Starts a redis-server (no persistence) on a free loopback port and waits until it accepts connections. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (/Ready to accept connections/.test(output)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

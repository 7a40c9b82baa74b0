import { randomBytes } from 'node:crypto';
import { Frame, TestClient } from '../../support/ws-client';
import { NodeProcess } from './node-process';
import { createDatabase, deleteRedisKeys, REDIS_URL, startRedis, uniqueName } from './services';

/** Several real server processes on one fresh PostgreSQL database and one Redis key prefix. */
export interface Cluster {
  nodes: NodeProcess[];
  database: Awaited<ReturnType<typeof createDatabase>>;
  keyPrefix: string;
  stop(): Promise<void>;
}

/**
 * `env` adds settings of every node; `redisUrl` puts the nodes on a Redis of the caller's
 * (one a test may flush or stop) instead of the machine's shared one.
 */
export async function startCluster(size: number, options: { env?: Record<string, string>; redisUrl?: string } = {}): Promise<Cluster> {
  const redisUrl = options.redisUrl ?? REDIS_URL;
  if (!options.redisUrl) await startRedis();
  const database = await createDatabase();
  const keyPrefix = uniqueName();
  const env = { ...options.env, DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix };
  const nodes: NodeProcess[] = [];
  try {
    // The first node runs the migrations alone; the others then find them applied.
    nodes.push(await NodeProcess.start('node-0', env));
    nodes.push(...(await Promise.all(Array.from({ length: size - 1 }, (_, index) => NodeProcess.start(`node-${index + 1}`, env)))));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill()));
    await database.drop();
    throw error;
  }
  return {
    nodes,
    database,
    keyPrefix,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
      await database.drop();
      await deleteRedisKeys(keyPrefix, redisUrl);
    },
  };
}

/** A user id no other test uses. */
export function uniqueUser(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** The notification frames a client received, as cursors, checking they only ever grow. */
export function cursorsOf(frames: Frame[]): number[] {
  const cursors = frames.map((frame) => Number(frame.data.cursor));
  cursors.forEach((cursor, index) => {
    if (index > 0 && cursor <= cursors[index - 1]) {
      throw new Error(`Cursor ${cursor} after ${cursors[index - 1]} on one session: out of order or twice`);
    }
  });
  return cursors;
}

/** Waits until `condition` holds, polling (for state outside any client, e.g. presence in Redis). */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export { TestClient };

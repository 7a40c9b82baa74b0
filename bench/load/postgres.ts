/**
 * The PostgreSQL the `-pg` targets run on: a fresh database for each start, dropped after it
 * stops, so no scenario inherits another's rows, statistics or bloat. BENCH_POSTGRES_URL names
 * the server and a database to administer it from (default: postgres on 127.0.0.1:5432).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** "PostgreSQL 15.20 at 127.0.0.1:5432", or the reason it cannot be reached. */
export async function describePostgres(): Promise<{ description?: string; unavailable?: string }> {
  try {
    const version = await withAdminClient(async (client) => (await client.query('SHOW server_version')).rows[0].server_version);
    const { hostname, port } = new URL(POSTGRES_ADMIN_URL);
    return { description: `PostgreSQL ${version} at ${hostname}:${port || 5432}` };
  } catch (error) {
    return { unavailable: `PostgreSQL at ${POSTGRES_ADMIN_URL} cannot be reached: ${(error as Error).message}` };
  }
}

/** A new, empty database, and the URL to give a server for it. */
export async function createDatabase(): Promise<{ name: string; url: string }> {
  const name = `notif_bench_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  return { name, url: Object.assign(new URL(POSTGRES_ADMIN_URL), { pathname: `/${name}` }).toString() };
}

/** Drops it, ending connections a killed server may have left. */
export async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** The same, for exit handlers, where nothing can be awaited: in a child process, waited for. */
export function dropDatabaseNow(name: string): void {
  const script = `
    const { Client } = require('pg');
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
    client.connect().then(() => client.query('DROP DATABASE IF EXISTS ${name} WITH (FORCE)')).finally(() => client.end());`;
  // From the repository root, where `pg` resolves.
  const cwd = path.resolve(__dirname, '..', '..');
  spawnSync(process.execPath, ['-e', script, POSTGRES_ADMIN_URL], { cwd, stdio: 'ignore', timeout: 10_000 });
}

import { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSettings } from './server-settings';
import { WAL_SIZE_LIMIT_BYTES } from './sqlite-checkpoints';

const POSTGRES_CONNECT_TIMEOUT_MS = 3000;

/**
 * How to connect to the database a DATABASE_URL names, as TypeORM options without entities
 * or migrations (the caller adds those). The standalone server and the example app share it,
 * so the same URL means the same engine settings in both.
 */
export function databaseConnectionOptions(
  database: DatabaseSettings,
  /** The caller checkpoints a SQLite file's WAL itself, from a worker (SqliteCheckpoints). */
  { checkpointInWorker = false }: { checkpointInWorker?: boolean } = {},
): TypeOrmModuleOptions {
  if (database.type === 'postgres') {
    return {
      type: 'postgres',
      url: database.url,
      // Fail fast when PostgreSQL is unreachable, so a request answers 503 instead of
      // waiting for a pooled connection that will not come.
      connectTimeoutMS: POSTGRES_CONNECT_TIMEOUT_MS,
      extra: { max: 10, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS },
    };
  }
  const { path } = database;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: path,
    // WAL lets readers proceed during a write; NORMAL syncs at checkpoints, not per commit,
    // and stays durable across a process crash (only a power loss can drop the last commits).
    // An in-memory database has no file to keep a log beside.
    enableWAL: path !== ':memory:',
    // Statements are prepared once and kept: page sizes are written into them (limitClause),
    // so there are more distinct texts than TypeORM's default cache of 100 holds.
    statementCacheSize: 1000,
    prepareDatabase: (connection: { pragma(statement: string): unknown }) => {
      connection.pragma('synchronous = NORMAL');
      if (checkpointInWorker && path !== ':memory:') {
        connection.pragma('wal_autocheckpoint = 0');
        // The log starts over at least every RESTART_AFTER_FRAMES; after a longer burst its file is cut back.
        connection.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      }
    },
  };
}

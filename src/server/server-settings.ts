import { createJwtKey } from '../auth/jwt-key';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../notifications.options';
import { ConfigurationException } from './configuration.exception';

/** Used only outside production when no key is set, so that `npm start` works at once. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-never-use-in-production';

export type DatabaseSettings = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

/** Several nodes share delivery and presence through this Redis when set. */
export interface RedisSettings {
  url: string;
  /** Prefix of every key and channel, so several deployments (or test runs) share one Redis. */
  keyPrefix: string;
}

/** The standalone server's settings, read from the environment (contract section 1). */
export interface ServerSettings {
  port: number;
  production: boolean;
  jwt: {
    secret?: string;
    publicKey?: string;
    issuer?: string;
    audience?: string;
    /** True when no key was configured and the development secret is in use. */
    isDevelopmentKey: boolean;
  };
  database: DatabaseSettings;
  redis?: RedisSettings;
  websocket: { maxPayloadBytes: number };
}

type Environment = Record<string, string | undefined>;

/** Reads and validates every setting; throws ConfigurationException naming the first bad one. */
export function loadServerSettings(env: Environment): ServerSettings {
  const production = env.NODE_ENV === 'production';
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    production,
    jwt: jwtSettings(env, production),
    database: databaseSettings(env.DATABASE_URL ?? 'sqlite:./data/notifications.sqlite'),
    redis: redisSettings(env),
    websocket: { maxPayloadBytes: integer(env, 'WS_MAX_PAYLOAD_BYTES', DEFAULT_MAX_PAYLOAD_BYTES, 128, 16 * 1024 * 1024) },
  };
}

function jwtSettings(env: Environment, production: boolean): ServerSettings['jwt'] {
  const secret = nonEmpty(env.JWT_SECRET);
  const publicKey = nonEmpty(env.JWT_PUBLIC_KEY)?.replace(/\\n/g, '\n');
  const issuer = nonEmpty(env.JWT_ISSUER);
  const audience = nonEmpty(env.JWT_AUDIENCE);
  if (secret && publicKey) throw new ConfigurationException('Set JWT_SECRET or JWT_PUBLIC_KEY, not both');
  if (!secret && !publicKey) {
    if (production) {
      throw new ConfigurationException('JWT_SECRET or JWT_PUBLIC_KEY is required when NODE_ENV=production');
    }
    return { secret: DEVELOPMENT_JWT_SECRET, issuer, audience, isDevelopmentKey: true };
  }
  try {
    createJwtKey({ secret, publicKey });
  } catch (error) {
    throw new ConfigurationException(`JWT_PUBLIC_KEY is not a usable PEM public key: ${(error as Error).message}`);
  }
  return { secret, publicKey, issuer, audience, isDevelopmentKey: false };
}

function databaseSettings(url: string): DatabaseSettings {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new ConfigurationException('DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/notifications.sqlite');
    return { type: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    if (!URL.canParse(url) || !new URL(url).hostname) {
      throw new ConfigurationException('DATABASE_URL must name a host, e.g. postgres://user:password@host:5432/database');
    }
    return { type: 'postgres', url };
  }
  const scheme = url.split(':')[0];
  throw new ConfigurationException(
    `DATABASE_URL scheme "${scheme}:" is not supported; use sqlite:<path>, sqlite::memory: or postgres://user@host/database`,
  );
}

function redisSettings(env: Environment): RedisSettings | undefined {
  const url = nonEmpty(env.REDIS_URL);
  if (url === undefined) return undefined;
  if (!/^rediss?:\/\//.test(url) || !URL.canParse(url)) {
    throw new ConfigurationException('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');
  }
  const keyPrefix = nonEmpty(env.REDIS_KEY_PREFIX) ?? 'notifications';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(keyPrefix)) {
    throw new ConfigurationException('REDIS_KEY_PREFIX must be 1-64 letters, digits, or _ . : -');
  }
  return { url, keyPrefix };
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigurationException(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

import { createJwtKey } from 'nest-live-notifications';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MAX_FRAMES_PER_SECOND,
  DEFAULT_MAX_IDS_PER_USER_PER_SECOND,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_PENDING_FRAMES,
  DEFAULT_MAX_SESSIONS_PER_USER,
  DEFAULT_SEND_RATE_LIMIT,
} from 'nest-live-notifications';
import { parseAllowedOrigins } from './allowed-origins';
import { ConfigurationException } from './configuration.exception';
import { ChannelServerSettings, channelSettings } from './channel-settings';

/** Used only outside production when no key is set, so that `npm start` works at once. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-never-use-in-production';

/**
 * Secrets anyone can read in this repository (the server's and the example app's development
 * keys): long enough to pass the length check, yet whoever knows them can mint any token.
 * Refused in production.
 */
const PUBLISHED_SECRETS = new Set([DEVELOPMENT_JWT_SECRET, 'expense-approval-development-secret']);

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
    /** An identity provider's JWKS endpoint (JWT_JWKS_URL). */
    jwksUri?: string;
    issuer?: string;
    audience?: string;
    /** True when no key was configured and the development secret is in use. */
    isDevelopmentKey: boolean;
    /** JWT_MAX_AGE_SECONDS: tokens issued longer ago are refused; revocations are deleted after it. */
    maxTokenAgeSeconds?: number;
  };
  database: DatabaseSettings;
  /** REDIS_URL / REDIS_KEY_PREFIX: nodes share delivery through Redis; readiness checks it. */
  redis?: RedisSettings;
  websocket: {
    maxPayloadBytes: number;
    heartbeatMs: number;
    maxSessionsPerUser: number;
    maxFramesPerSecond: number;
    /** WS_MAX_IDS_PER_USER_PER_SECOND: ids of ack and read frames per user per second on a node. */
    maxIdsPerUserPerSecond: number;
    /** WS_MAX_PENDING_FRAMES: client frames a session may have waiting to be handled. */
    maxPendingFrames: number;
    maxBufferedBytes: number;
    /** Exact browser origins allowed on the upgrade and by CORS; undefined allows any. */
    allowedOrigins: string[] | undefined;
  };
  /** `POST /notifications` per sender per minute. */
  sendsPerMinute: number;
  /** RETENTION_DAYS: read or archived notifications older than this are deleted; unset keeps them. */
  retentionDays?: number;
  /** TENANT_CLAIM: the JWT claim that holds the tenant id; unset, one tenant. */
  tenantClaim?: string;
  /** What operators see into: docs, metrics and logs (docs/operations.md). */
  operations: OperationsSettings;
  /** The inbox page at `/`: on by default outside production (INBOX_PAGE_ENABLED). */
  inboxPage: { enabled: boolean };
  /** Web Push, email and webhooks (channel-settings.ts). */
  channels: ChannelServerSettings;
}

export interface OperationsSettings {
  /** `/docs` and `/docs-json` (DOCS_ENABLED; default on outside production, off in production). */
  docsEnabled: boolean;
  /** `/metrics` (METRICS_ENABLED; default on outside production, in production only with METRICS_TOKEN). */
  metricsEnabled: boolean;
  /** When set, `/metrics` requires `Authorization: Bearer <METRICS_TOKEN>`. */
  metricsToken?: string;
  /** LOG_LEVEL: trace, debug, info, warn, error, fatal or silent (default info). */
  logLevel: LogLevel;
  /** LOG_FORMAT: json (default in production) or pretty (default otherwise). */
  logFormat: 'json' | 'pretty';
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Environment = Record<string, string | undefined>;

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Reads and validates every setting; throws ConfigurationException naming the first bad one. */
export function loadServerSettings(env: Environment): ServerSettings {
  const production = env.NODE_ENV === 'production';
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    production,
    jwt: { ...jwtSettings(env, production), maxTokenAgeSeconds: optionalInteger(env, 'JWT_MAX_AGE_SECONDS', 60, 10 * YEAR_SECONDS) },
    database: parseDatabaseUrl(env.DATABASE_URL ?? 'sqlite:./data/notifications.sqlite'),
    redis: redisSettings(env),
    websocket: {
      maxPayloadBytes: integer(env, 'WS_MAX_PAYLOAD_BYTES', DEFAULT_MAX_PAYLOAD_BYTES, 128, 16 * 1024 * 1024),
      heartbeatMs: integer(env, 'WS_HEARTBEAT_MS', DEFAULT_HEARTBEAT_MS, 100, 3_600_000),
      maxSessionsPerUser: integer(env, 'WS_MAX_SESSIONS_PER_USER', DEFAULT_MAX_SESSIONS_PER_USER, 1, 100_000),
      maxFramesPerSecond: integer(env, 'WS_MAX_FRAMES_PER_SECOND', DEFAULT_MAX_FRAMES_PER_SECOND, 1, 100_000),
      maxIdsPerUserPerSecond: integer(env, 'WS_MAX_IDS_PER_USER_PER_SECOND', DEFAULT_MAX_IDS_PER_USER_PER_SECOND, 1, 10_000_000),
      maxPendingFrames: integer(env, 'WS_MAX_PENDING_FRAMES', DEFAULT_MAX_PENDING_FRAMES, 1, 100_000),
      maxBufferedBytes: integer(env, 'WS_MAX_BUFFERED_BYTES', DEFAULT_MAX_BUFFERED_BYTES, 1024, 1024 * 1024 * 1024),
      allowedOrigins: parseAllowedOrigins(env.ALLOWED_ORIGINS),
    },
    sendsPerMinute: integer(env, 'SEND_RATE_LIMIT_PER_MINUTE', DEFAULT_SEND_RATE_LIMIT, 1, 1_000_000),
    retentionDays: optionalInteger(env, 'RETENTION_DAYS', 1, 36_500),
    tenantClaim: nonEmpty(env.TENANT_CLAIM),
    operations: operationsSettings(env, production),
    inboxPage: { enabled: boolean(env, 'INBOX_PAGE_ENABLED', !production) },
    channels: channelSettings(env, production),
  };
}

function operationsSettings(env: Environment, production: boolean): OperationsSettings {
  const metricsToken = nonEmpty(env.METRICS_TOKEN);
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigurationException('METRICS_TOKEN must be at least 16 characters (it guards /metrics)');
  }
  return {
    // A production server shows anonymous callers neither its API map nor its internals by default.
    docsEnabled: boolean(env, 'DOCS_ENABLED', !production),
    metricsEnabled: boolean(env, 'METRICS_ENABLED', !production || metricsToken !== undefined),
    metricsToken,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: logFormat(env, production),
  };
}

function logFormat(env: Environment, production: boolean): OperationsSettings['logFormat'] {
  // pino-pretty is a devDependency: an image built with --omit=dev has no pretty printer.
  const prettyAvailable = canResolve('pino-pretty');
  const format = oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, production || !prettyAvailable ? 'json' : 'pretty');
  if (format === 'pretty' && !prettyAvailable) {
    throw new ConfigurationException(
      'LOG_FORMAT=pretty needs the pino-pretty package (a devDependency); install it or use LOG_FORMAT=json',
    );
  }
  return format;
}

function canResolve(moduleName: string): boolean {
  try {
    require.resolve(moduleName);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return false;
    throw error;
  }
}

function boolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigurationException(`${name} must be true or false, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigurationException(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function jwtSettings(env: Environment, production: boolean): ServerSettings['jwt'] {
  const secret = nonEmpty(env.JWT_SECRET);
  const publicKey = nonEmpty(env.JWT_PUBLIC_KEY)?.replace(/\\n/g, '\n');
  const issuer = nonEmpty(env.JWT_ISSUER);
  const audience = nonEmpty(env.JWT_AUDIENCE);
  const jwksUri = nonEmpty(env.JWT_JWKS_URL);
  const keys = [secret && 'JWT_SECRET', publicKey && 'JWT_PUBLIC_KEY', jwksUri && 'JWT_JWKS_URL'].filter(Boolean);
  if (keys.length > 1)
    throw new ConfigurationException(`Set one of JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL, not both ${keys.join(' and ')}`);
  if (jwksUri) {
    if (!/^https?:\/\/[^/\s]+/.test(jwksUri)) {
      throw new ConfigurationException(`JWT_JWKS_URL must be an http(s) URL, got "${jwksUri}"`);
    }
    if (production && jwksUri.startsWith('http:') && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(jwksUri)) {
      throw new ConfigurationException('JWT_JWKS_URL must use https:// when NODE_ENV=production (keys fetched in clear can be forged)');
    }
    return { jwksUri, issuer, audience, isDevelopmentKey: false };
  }
  if (secret && production && secret.length < 32) {
    throw new ConfigurationException('JWT_SECRET must be at least 32 characters when NODE_ENV=production');
  }
  if (secret && production && PUBLISHED_SECRETS.has(secret.trim())) {
    throw new ConfigurationException(
      'JWT_SECRET is a development secret published in this project; set one of your own when NODE_ENV=production ' +
        '(e.g. openssl rand -hex 32)',
    );
  }
  if (!secret && !publicKey) {
    if (production) {
      throw new ConfigurationException('JWT_SECRET or JWT_PUBLIC_KEY (or JWT_JWKS_URL) is required when NODE_ENV=production');
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

/** DATABASE_URL: `sqlite:<path>`, `sqlite::memory:` or `postgres(ql)://…`; throws ConfigurationException otherwise. */
export function parseDatabaseUrl(url: string): DatabaseSettings {
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

/** A whole number from min to max, or undefined when unset: a setting that is off by default. */
function optionalInteger(env: Environment, name: string, min: number, max: number): number | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : integer(env, name, 0, min, max);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

import { createJwtKey } from '../auth/jwt-key';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../notifications.options';
import { ConfigurationException } from './configuration.exception';

/** Used only outside production when no key is set, so that `npm start` works at once. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-never-use-in-production';

export type DatabaseSettings = { type: 'sqlite'; path: string };

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
  websocket: { maxPayloadBytes: number };
  /** The inbox page at `/`: on by default outside production (INBOX_PAGE_ENABLED). */
  inboxPage: { enabled: boolean };
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
    websocket: { maxPayloadBytes: integer(env, 'WS_MAX_PAYLOAD_BYTES', DEFAULT_MAX_PAYLOAD_BYTES, 128, 16 * 1024 * 1024) },
    inboxPage: { enabled: boolean(env, 'INBOX_PAGE_ENABLED', !production) },
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
  const scheme = url.split(':')[0];
  throw new ConfigurationException(
    `DATABASE_URL scheme "${scheme}:" is not supported by this version; use sqlite:<path> or sqlite::memory:`,
  );
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigurationException(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function boolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ConfigurationException(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

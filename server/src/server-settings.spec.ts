import { ConfigurationException } from './configuration.exception';
import { DEVELOPMENT_JWT_SECRET, loadServerSettings } from './server-settings';

describe(loadServerSettings.name, () => {
  it('works with no settings at all, on the development key and SQLite under ./data', () => {
    const settings = loadServerSettings({});
    expect(settings).toMatchObject({
      port: 3000,
      jwt: { secret: DEVELOPMENT_JWT_SECRET, isDevelopmentKey: true },
      database: { type: 'sqlite', path: './data/notifications.sqlite' },
      websocket: {
        maxPayloadBytes: 16384,
        heartbeatMs: 30000,
        maxSessionsPerUser: 20,
        maxFramesPerSecond: 50,
        maxIdsPerUserPerSecond: 10_000,
        maxPendingFrames: 100,
        maxBufferedBytes: 1024 * 1024,
        allowedOrigins: undefined,
      },
      sendsPerMinute: 600,
    });
    expect(settings.retentionDays).toBeUndefined();
    expect(settings.jwt.maxTokenAgeSeconds).toBeUndefined();
  });

  it('reads RETENTION_DAYS and JWT_MAX_AGE_SECONDS', () => {
    const settings = loadServerSettings({ RETENTION_DAYS: '90', JWT_MAX_AGE_SECONDS: '86400' });
    expect(settings.retentionDays).toBe(90);
    expect(settings.jwt.maxTokenAgeSeconds).toBe(86400);
  });

  it('refuses to start in production without a key, naming the settings', () => {
    expect(() => loadServerSettings({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET or JWT_PUBLIC_KEY/);
  });

  it.each([
    [{ PORT: '-1' }, /PORT/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ WS_MAX_PAYLOAD_BYTES: '0' }, /WS_MAX_PAYLOAD_BYTES/],
    [{ WS_HEARTBEAT_MS: '10' }, /WS_HEARTBEAT_MS/],
    [{ WS_MAX_SESSIONS_PER_USER: '0' }, /WS_MAX_SESSIONS_PER_USER/],
    [{ WS_MAX_FRAMES_PER_SECOND: 'many' }, /WS_MAX_FRAMES_PER_SECOND/],
    [{ WS_MAX_BUFFERED_BYTES: '1' }, /WS_MAX_BUFFERED_BYTES/],
    [{ WS_MAX_IDS_PER_USER_PER_SECOND: '0' }, /WS_MAX_IDS_PER_USER_PER_SECOND must be a whole number from 1/],
    [{ WS_MAX_PENDING_FRAMES: 'lots' }, /WS_MAX_PENDING_FRAMES must be a whole number from 1/],
    [{ SEND_RATE_LIMIT_PER_MINUTE: '-5' }, /SEND_RATE_LIMIT_PER_MINUTE/],
    [{ RETENTION_DAYS: '0' }, /RETENTION_DAYS must be a whole number from 1 to 36500, got "0"/],
    [{ RETENTION_DAYS: '30d' }, /RETENTION_DAYS must be a whole number/],
    [{ JWT_MAX_AGE_SECONDS: '10' }, /JWT_MAX_AGE_SECONDS must be a whole number from 60/],
    [{ ALLOWED_ORIGINS: 'app.example.com' }, /ALLOWED_ORIGINS entry "app.example.com"/],
    [{ ALLOWED_ORIGINS: 'https://app.example.com/path' }, /ALLOWED_ORIGINS/],
    [{ ALLOWED_ORIGINS: 'ftp://app.example.com' }, /ALLOWED_ORIGINS/],
    [{ ALLOWED_ORIGINS: 'null' }, /ALLOWED_ORIGINS/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL scheme "mysql:"/],
    [{ DATABASE_URL: 'sqlite:' }, /DATABASE_URL/],
    [{ JWT_PUBLIC_KEY: 'not a pem' }, /JWT_PUBLIC_KEY/],
    [{ JWT_SECRET: 's', JWT_PUBLIC_KEY: 'k' }, /not both/],
    [{ JWT_SECRET: 's', JWT_JWKS_URL: 'https://idp/certs' }, /not both JWT_SECRET and JWT_JWKS_URL/],
    [{ JWT_JWKS_URL: 'idp.example/certs' }, /JWT_JWKS_URL must be an http\(s\) URL/],
    [{ NODE_ENV: 'production', JWT_JWKS_URL: 'http://idp.example/certs' }, /JWT_JWKS_URL must use https/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [{ NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET }, /JWT_SECRET is a development secret published in this project/],
    [{ NODE_ENV: 'production', JWT_SECRET: ` ${DEVELOPMENT_JWT_SECRET}\n` }, /JWT_SECRET is a development secret/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'expense-approval-development-secret' }, /JWT_SECRET is a development secret/],
    [{ WS_MAX_PAYLOAD_BYTES: '-5' }, /WS_MAX_PAYLOAD_BYTES must be a whole number/],
    [{ DOCS_ENABLED: 'maybe' }, /DOCS_ENABLED must be true or false/],
    [{ METRICS_ENABLED: 'yes please' }, /METRICS_ENABLED/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be at least 16/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of trace, debug/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ INBOX_PAGE_ENABLED: 'yes' }, /INBOX_PAGE_ENABLED must be true or false/],
    [{ DATABASE_URL: 'postgres://' }, /DATABASE_URL/],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL/],
    [{ REDIS_URL: 'redis://127.0.0.1', REDIS_KEY_PREFIX: 'has space' }, /REDIS_KEY_PREFIX/],
  ])('names the bad setting in %p', (env, message) => {
    expect(() => loadServerSettings(env)).toThrow(ConfigurationException);
    expect(() => loadServerSettings(env)).toThrow(message);
  });

  it('reads ALLOWED_ORIGINS as a list of exact origins', () => {
    expect(loadServerSettings({ ALLOWED_ORIGINS: 'https://App.example.com, http://localhost:5173' }).websocket.allowedOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
  });

  it('takes a JWKS URL instead of a key, and reads the operations settings', () => {
    const settings = loadServerSettings({
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://idp.example/realms/a/protocol/openid-connect/certs',
      DOCS_ENABLED: 'false',
      METRICS_TOKEN: 'a-long-enough-metrics-token',
    });
    expect(settings.jwt).toEqual(expect.objectContaining({ jwksUri: expect.stringContaining('/certs'), isDevelopmentKey: false }));
    expect(settings.operations).toEqual({
      docsEnabled: false,
      metricsEnabled: true,
      metricsToken: 'a-long-enough-metrics-token',
      logLevel: 'info',
      logFormat: 'json',
    });
    expect(loadServerSettings({}).operations.logFormat).toBe('pretty');
  });

  it('serves /docs and /metrics outside production, and in production only when configured', () => {
    const operations = (env: Record<string, string>) => {
      const { docsEnabled, metricsEnabled, metricsToken } = loadServerSettings(env).operations;
      return { docsEnabled, metricsEnabled, metricsToken };
    };
    expect(operations({})).toEqual({ docsEnabled: true, metricsEnabled: true, metricsToken: undefined });
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-32-characters' };
    expect(operations(production)).toEqual({ docsEnabled: false, metricsEnabled: false, metricsToken: undefined });
    const token = 'a-long-enough-metrics-token';
    expect(operations({ ...production, METRICS_TOKEN: token })).toEqual({ docsEnabled: false, metricsEnabled: true, metricsToken: token });
    expect(operations({ ...production, DOCS_ENABLED: 'true' }).docsEnabled).toBe(true);
    // An operator's explicit choice (a scrape from a private network only) stands; main.ts warns.
    expect(operations({ ...production, METRICS_ENABLED: 'true' }).metricsEnabled).toBe(true);
    expect(operations({ ...production, METRICS_TOKEN: token, METRICS_ENABLED: 'false' }).metricsEnabled).toBe(false);
  });

  it('serves the inbox page outside production unless turned off, and in production only when turned on', () => {
    expect(loadServerSettings({}).inboxPage.enabled).toBe(true);
    expect(loadServerSettings({ INBOX_PAGE_ENABLED: 'false' }).inboxPage.enabled).toBe(false);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-32-characters' };
    expect(loadServerSettings(production).inboxPage.enabled).toBe(false);
    expect(loadServerSettings({ ...production, INBOX_PAGE_ENABLED: 'true' }).inboxPage.enabled).toBe(true);
  });

  it('reads sqlite::memory:', () => {
    expect(loadServerSettings({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ type: 'sqlite', path: ':memory:' });
  });

  it('reads postgres:// and redis:// URLs', () => {
    const settings = loadServerSettings({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/notifications',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'tenant-a',
    });
    expect(settings.database).toEqual({ type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/notifications' });
    expect(settings.redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'tenant-a' });
    expect(loadServerSettings({}).redis).toBeUndefined();
  });
});

import { ConfigurationException } from './configuration.exception';
import { DEVELOPMENT_JWT_SECRET, loadServerSettings } from './server-settings';

describe(loadServerSettings.name, () => {
  it('works with no settings at all, on the development key and SQLite under ./data', () => {
    const settings = loadServerSettings({});
    expect(settings).toMatchObject({
      port: 3000,
      jwt: { secret: DEVELOPMENT_JWT_SECRET, isDevelopmentKey: true },
      database: { type: 'sqlite', path: './data/notifications.sqlite' },
      websocket: { maxPayloadBytes: 16384 },
    });
  });

  it('refuses to start in production without a key, naming the settings', () => {
    expect(() => loadServerSettings({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET or JWT_PUBLIC_KEY/);
  });

  it.each([
    [{ PORT: '-1' }, /PORT/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ WS_MAX_PAYLOAD_BYTES: '0' }, /WS_MAX_PAYLOAD_BYTES/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL scheme "mysql:"/],
    [{ DATABASE_URL: 'sqlite:' }, /DATABASE_URL/],
    [{ JWT_PUBLIC_KEY: 'not a pem' }, /JWT_PUBLIC_KEY/],
    [{ JWT_SECRET: 's', JWT_PUBLIC_KEY: 'k' }, /not both/],
    [{ JWT_SECRET: 's', JWT_JWKS_URL: 'https://idp/certs' }, /not both JWT_SECRET and JWT_JWKS_URL/],
    [{ JWT_JWKS_URL: 'idp.example/certs' }, /JWT_JWKS_URL must be an http\(s\) URL/],
    [{ NODE_ENV: 'production', JWT_JWKS_URL: 'http://idp.example/certs' }, /JWT_JWKS_URL must use https/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [{ WS_MAX_PAYLOAD_BYTES: '-5' }, /WS_MAX_PAYLOAD_BYTES must be a whole number/],
    [{ DOCS_ENABLED: 'maybe' }, /DOCS_ENABLED must be true or false/],
    [{ METRICS_ENABLED: 'yes please' }, /METRICS_ENABLED/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be at least 16/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of trace, debug/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
  ])('names the bad setting in %p', (env, message) => {
    expect(() => loadServerSettings(env)).toThrow(ConfigurationException);
    expect(() => loadServerSettings(env)).toThrow(message);
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

  it('reads sqlite::memory:', () => {
    expect(loadServerSettings({ DATABASE_URL: 'sqlite::memory:' }).database.path).toBe(':memory:');
  });
});

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
    [{ DATABASE_URL: 'postgres://' }, /DATABASE_URL/],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL/],
    [{ REDIS_URL: 'redis://127.0.0.1', REDIS_KEY_PREFIX: 'has space' }, /REDIS_KEY_PREFIX/],
  ])('names the bad setting in %p', (env, message) => {
    expect(() => loadServerSettings(env)).toThrow(ConfigurationException);
    expect(() => loadServerSettings(env)).toThrow(message);
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

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
    [{ INBOX_PAGE_ENABLED: 'yes' }, /INBOX_PAGE_ENABLED must be true or false/],
  ])('names the bad setting in %p', (env, message) => {
    expect(() => loadServerSettings(env)).toThrow(ConfigurationException);
    expect(() => loadServerSettings(env)).toThrow(message);
  });

  it('serves the inbox page outside production unless turned off, and in production only when turned on', () => {
    expect(loadServerSettings({}).inboxPage.enabled).toBe(true);
    expect(loadServerSettings({ INBOX_PAGE_ENABLED: 'false' }).inboxPage.enabled).toBe(false);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret' };
    expect(loadServerSettings(production).inboxPage.enabled).toBe(false);
    expect(loadServerSettings({ ...production, INBOX_PAGE_ENABLED: 'true' }).inboxPage.enabled).toBe(true);
  });

  it('reads sqlite::memory:', () => {
    expect(loadServerSettings({ DATABASE_URL: 'sqlite::memory:' }).database.path).toBe(':memory:');
  });
});

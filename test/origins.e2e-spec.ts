import { startServer, TestServer } from './support/test-server';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('ALLOWED_ORIGINS', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173' } });
  });
  afterAll(() => server.close());

  const statusWithOrigin = (origin: string | undefined) =>
    TestClient.connect(`${server.wsUrl}/ws?access_token=${tokenFor('origin-user')}`, {
      headers: origin === undefined ? {} : { origin },
    }).then(
      async (client) => {
        await client.close();
        return 101;
      },
      (error) => error.status,
    );

  it.each(['https://app.example.com', 'http://localhost:5173'])('lets a page from %s connect', async (origin) => {
    expect(await statusWithOrigin(origin)).toBe(101);
  });

  it('lets a client that sends no Origin (not a browser page) connect', async () => {
    expect(await statusWithOrigin(undefined)).toBe(101);
  });

  it.each([
    'null',
    'http://app.example.com',
    'https://app.example.com.evil.net',
    'https://evil.app.example.com',
    'https://app.example.com:8443',
    'wss://app.example.com',
    'https://evil.net',
  ])('refuses the origin %s with 403 before the upgrade, even with a valid token', async (origin) => {
    expect(await statusWithOrigin(origin)).toBe(403);
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.baseUrl}/notifications`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const refused = await preflight('https://app.example.com.evil.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

import { request, send } from './support/http';
import { generateProviderKey, JwksServer, providerToken } from './support/jwks-server';
import { startServer, TestServer } from './support/test-server';
import { TestClient } from './support/ws-client';

/** Tokens issued by an identity provider (Keycloak/Auth0 style), verified through its JWKS URL. */
describe('JWKS tokens (JWT_JWKS_URL)', () => {
  const first = generateProviderKey('2026-11-a', 'RS256');
  const second = generateProviderKey('2026-11-b', 'ES256');
  let jwks: JwksServer;
  let server: TestServer;

  beforeAll(async () => {
    jwks = await new JwksServer().start();
    jwks.keys = [first];
    server = await startServer({ env: { JWT_SECRET: '', JWT_JWKS_URL: jwks.url, JWT_ISSUER: 'https://idp.test/realms/test' } });
  });
  afterAll(async () => {
    await server.close();
    await jwks.stop();
  });

  const issued = (key: typeof first, userId: string, scope?: string) =>
    providerToken(key, userId, { iss: 'https://idp.test/realms/test', ...(scope ? { scope } : {}) });
  const connectStatus = (token: string) =>
    TestClient.open(server.wsUrl, token).then(
      async (client) => {
        await client.close();
        return 101;
      },
      (error) => error.status,
    );

  it("accepts the provider's tokens on the WebSocket and REST, and delivers", async () => {
    const alice = await TestClient.open(server.wsUrl, issued(first, 'alice'));
    const sent = await send(server.baseUrl, issued(first, 'svc', 'notifications:send'), { userIds: ['alice'] });
    expect(sent.status).toBe(201);
    expect((await alice.next('notification')).data.id).toBe(sent.body.id);
    await alice.close();
  });

  it('follows a key rotation: the new key is fetched on first sight, the withdrawn one refused', async () => {
    jwks.keys = [second];
    const before = jwks.requests;
    expect(await connectStatus(issued(second, 'bob'))).toBe(101);
    expect((await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: issued(second, 'bob') })).status).toBe(200);
    expect(jwks.requests).toBe(before + 1);
    expect(await connectStatus(issued(first, 'bob'))).toBe(401);
    expect((await request(server.baseUrl, 'GET', '/notifications', { token: issued(first, 'bob') })).status).toBe(401);
  });

  it('refuses a token from another issuer, even with a known key', async () => {
    const foreign = providerToken(second, 'carol', { iss: 'https://elsewhere.test' });
    expect(await connectStatus(foreign)).toBe(401);
  });
});

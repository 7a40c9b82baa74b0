import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createServer } from '../server/src/create-server';
import { loadServerSettings } from '../server/src/server-settings';
import { request, send } from './support/http';
import { generateProviderKey, JwksServer, providerToken } from './support/jwks-server';
import { malformedTokens } from './support/malformed-tokens';
import { startServer, temporaryDirectory, TestServer } from './support/test-server';
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

/** A bad token is the caller's mistake: 401, and nothing an attacker can repeat to flood the error log. */
describe('JWKS tokens that are not JWTs', () => {
  const key = generateProviderKey('2026-12-a', 'RS256');
  const directory = temporaryDirectory();
  const lines: string[] = [];
  let jwks: JwksServer;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    jwks = await new JwksServer().start();
    jwks.keys = [key];
    const settings = loadServerSettings({
      JWT_JWKS_URL: jwks.url,
      DATABASE_URL: `sqlite:${directory.path}/jwks.sqlite`,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    });
    app = await createServer(settings, undefined, { logDestination: { write: (line: string) => void lines.push(line) } });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await jwks.stop();
    directory.remove();
  });
  const wsUrl = () => baseUrl.replace('http:', 'ws:');

  it('answers 401 on REST and on the upgrade, closes a refresh 4401, and logs nothing at error level', async () => {
    // A good token first, so that the key is known and every bad one reaches the verifier proper.
    expect((await request(baseUrl, 'GET', '/notifications/unread-count', { token: providerToken(key, 'alice') })).status).toBe(200);
    for (const [what, token] of malformedTokens(key.kid)) {
      const rest = await request(baseUrl, 'GET', '/notifications/unread-count', { token });
      const upgrade = await TestClient.connect(`${wsUrl()}/ws`, { headers: { authorization: `Bearer ${token}` } }).then(
        (client) => client.close().then(() => 101),
        (error) => error.status,
      );
      // And as the `refresh` of an open session: closed 4401 like any refresh that does not verify.
      const session = await TestClient.open(wsUrl(), providerToken(key, 'bob'));
      session.send('refresh', { token });
      const refresh = await session.waitForClose();
      expect({ what, rest: rest.status, upgrade, refresh }).toEqual({ what, rest: 401, upgrade: 401, refresh: 4401 });
    }
    const records = lines.map((line) => JSON.parse(line));
    expect(records.filter((record) => record.level >= 50)).toEqual([]);
  });
});

import { startServer, TestServer } from './support/test-server';
import { expiryIn, tokenExpiringAt, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** Tokens over time: a session lives only as long as its token, unless refreshed. */
describe('Token expiry and refresh', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('closes a session with 4401 within 5 s of exp, unless it refreshed first', async () => {
    const exp = expiryIn(2);
    // Both tokens expire at the same second, so the idle session is the refreshed one's clock.
    const idle = await TestClient.open(server.wsUrl, tokenExpiringAt('expiring-user', exp));
    const refreshed = await TestClient.open(server.wsUrl, tokenExpiringAt('expiring-user', exp));
    refreshed.send('refresh', { token: tokenFor('expiring-user', { expiresIn: 3600 }) });
    await refreshed.roundTrip();

    expect(await idle.waitForClose(exp * 1000 + 5000 - Date.now())).toBe(4401);
    const closedAt = Date.now();
    expect(closedAt).toBeGreaterThanOrEqual(exp * 1000);
    expect(closedAt).toBeLessThan(exp * 1000 + 5000);

    // The refreshed session outlived the first token.
    await refreshed.roundTrip();
    expect(refreshed.closeCode).toBeUndefined();
    await refreshed.close();
  });

  it('closes the session with 4401 on a refresh with an invalid token', async () => {
    for (const token of ['not-a-jwt', tokenFor('bad-refresh', { expiresIn: -120 }), tokenFor('bad-refresh', { secret: 'x'.repeat(40) })]) {
      const client = await TestClient.open(server.wsUrl, tokenFor('bad-refresh'));
      client.send('refresh', { token });
      expect(await client.waitForClose()).toBe(4401);
    }
  });

  it('closes the session with 1008 on a refresh for another user', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('mallory'));
    client.send('refresh', { token: tokenFor('alice') });
    expect(await client.waitForClose()).toBe(1008);
  });

  it('answers a refresh without a token with an error frame and keeps the session', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('sloppy'));
    client.send('refresh', {});
    expect((await client.next('error')).data.code).toBe('NOTIFICATIONS_ERR_BAD_DATA');
    await client.roundTrip();
    expect(client.closeCode).toBeUndefined();
    await client.close();
  });
});

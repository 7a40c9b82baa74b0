import { IncomingMessage } from 'node:http';
import { InvalidTokenException } from '../auth/invalid-token.exception';
import { Principal } from '../auth/principal';
import { RevocationService } from '../auth/revocation.service';
import { TokenVerifier } from '../auth/token-verifier';
import { DeliveryBus } from '../delivery/delivery-bus';
import { Handshake } from './handshake';
import { OriginAllowlist } from './origin-allowlist';

const principal = (userId: string): Principal => ({
  userId,
  scopes: new Set(),
  expiresAt: Date.now() + 60_000,
  issuedAt: Date.now(),
  claims: {},
});

const verifier: TokenVerifier = {
  verify: (token) => {
    if (token.startsWith('good-')) return principal(token.slice(5));
    throw new InvalidTokenException('bad token');
  },
};

function upgrade(url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { url, headers } as unknown as IncomingMessage;
}

describe(Handshake.name, () => {
  const revoked = new Set(['revoked-user']);
  const sessions = new Map([['busy-user', 2]]);
  const handshake = new Handshake(
    verifier,
    { origins: new OriginAllowlist(['https://app.example.com']), maxSessionsPerUser: 2 },
    { isRevoked: async (user: Principal) => revoked.has(user.userId) } as unknown as RevocationService,
    { sessionCount: async (userId: string) => sessions.get(userId) ?? 0 } as unknown as DeliveryBus,
  );

  it('accepts a good token with an allowed origin or none, and reads `after`', async () => {
    await expect(handshake.check(upgrade('/ws?access_token=good-alice&after=42'))).resolves.toMatchObject({
      principal: { userId: 'alice' },
      resumeAfter: '42',
    });
    await expect(handshake.check(upgrade('/ws?access_token=good-alice', { origin: 'https://app.example.com' }))).resolves.toMatchObject({
      principal: { userId: 'alice' },
    });
  });

  it.each([
    ['another origin, before looking at the token', '/ws?access_token=garbage', { origin: 'https://evil.net' }, 403],
    ['no token', '/ws', {}, 401],
    ['a bad token', '/ws?access_token=garbage', {}, 401],
    ['a revoked token', '/ws?access_token=good-revoked-user', {}, 401],
    ['a user at the session cap', '/ws?access_token=good-busy-user', {}, 429],
    ['a bad cursor', '/ws?access_token=good-alice&after=x', {}, 400],
  ])('refuses %s', async (_, url, headers, status) => {
    await expect(handshake.check(upgrade(url, headers))).resolves.toMatchObject({ status });
  });
});

import { IncomingMessage } from 'node:http';
import { InvalidTokenException } from '../auth/invalid-token.exception';
import { Principal } from '../auth/principal';
import { RevocationService } from '../auth/revocation.service';
import { TokenVerifier } from '../auth/token-verifier';
import { InProcessDeliveryBus } from '../delivery/in-process-delivery-bus';
import { AcceptedHandshake, Handshake, isRefused } from './handshake';
import { OriginAllowlist } from './origin-allowlist';
import { SessionCap } from '../sessions/session-cap';

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
  const bus = new InProcessDeliveryBus();
  bus.sessionOpened('busy-user');
  bus.sessionOpened('busy-user');
  const origins = new OriginAllowlist(['https://app.example.com']);
  const revocations = { isRevoked: async (user: Principal) => revoked.has(user.userId) } as unknown as RevocationService;
  const handshake = new Handshake(verifier, { origins, sessionCap: new SessionCap(bus, 2) }, revocations);

  it('accepts a good token with an allowed origin or none, reads `after`, and holds a slot under the cap', async () => {
    const accepted = await handshake.check(upgrade('/ws?access_token=good-alice&after=42'));
    expect(accepted).toMatchObject({ principal: { userId: 'alice' }, resumeAfter: '42', slot: { userId: 'alice' } });
    expect(await bus.sessionCount('alice')).toBe(1);
    (accepted as AcceptedHandshake).slot.release();
    expect(await bus.sessionCount('alice')).toBe(0);
    await expect(handshake.check(upgrade('/ws?access_token=good-alice', { origin: 'https://app.example.com' }))).resolves.toMatchObject({
      principal: { userId: 'alice' },
    });
  });

  it('admits checks of one user that wait on the same revocation lookup up to the cap, and no more', async () => {
    let lookedUp!: () => void;
    const lookup = new Promise<boolean>((resolve) => (lookedUp = () => resolve(false)));
    const slowLookup = { isRevoked: () => lookup } as unknown as RevocationService;
    const racing = new Handshake(verifier, { origins, sessionCap: new SessionCap(new InProcessDeliveryBus(), 2) }, slowLookup);
    const outcomes = Array.from({ length: 5 }, () => racing.check(upgrade('/ws?access_token=good-racer')));
    lookedUp();
    const statuses = (await Promise.all(outcomes)).map((outcome) => (isRefused(outcome) ? outcome.status : 101));
    expect(statuses.sort()).toEqual([101, 101, 429, 429, 429]);
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

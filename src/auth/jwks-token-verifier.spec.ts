import { generateProviderKey, JwksServer, providerToken } from '../../test/support/jwks-server';
import { malformedTokens } from '../../test/support/malformed-tokens';
import { InvalidTokenException } from './invalid-token.exception';
import { JwksTokenVerifier } from './jwks-token-verifier';

describe(JwksTokenVerifier.name, () => {
  const rsa = generateProviderKey('rsa-1', 'RS256');
  const ec = generateProviderKey('ec-1', 'ES256');
  let jwks: JwksServer;

  beforeEach(async () => {
    jwks = await new JwksServer().start();
    jwks.keys = [rsa];
  });
  afterEach(() => jwks.stop());

  it('fetches the keys once, then verifies synchronously from the cache', async () => {
    const verifier = new JwksTokenVerifier({ jwksUri: jwks.url });
    expect((await verifier.verify(providerToken(rsa, 'alice'))).userId).toBe('alice');
    const second = verifier.verify(providerToken(rsa, 'bob', { scope: 'notifications:send' }));
    expect(second).not.toBeInstanceOf(Promise);
    expect((second as { userId: string }).userId).toBe('bob');
    expect(jwks.requests).toBe(1);
  });

  it('follows a rotation: a new kid is fetched, a withdrawn one is refused', async () => {
    const verifier = new JwksTokenVerifier({ jwksUri: jwks.url });
    await verifier.verify(providerToken(rsa, 'alice'));
    jwks.keys = [ec];
    expect((await verifier.verify(providerToken(ec, 'alice'))).userId).toBe('alice');
    expect(verifier.keyIds).toEqual(['ec-1']);
    await expect(verifier.verify(providerToken(rsa, 'alice'))).rejects.toThrow(/no signing key "rsa-1"/);
  });

  it('shares one fetch among concurrent tokens and limits refetches per minute', async () => {
    const verifier = new JwksTokenVerifier({ jwksUri: jwks.url, refreshesPerMinute: 2 });
    const tokens = Array.from({ length: 5 }, (_, index) => providerToken(rsa, `user-${index}`));
    await Promise.all(tokens.map((token) => verifier.verify(token)));
    expect(jwks.requests).toBe(1);
    const forged = (kid: string) => providerToken({ ...rsa, kid }, 'mallory');
    await expect(verifier.verify(forged('made-up-1'))).rejects.toThrow(InvalidTokenException);
    await expect(verifier.verify(forged('made-up-2'))).rejects.toThrow(InvalidTokenException);
    await expect(verifier.verify(forged('made-up-3'))).rejects.toThrow(InvalidTokenException);
    expect(jwks.requests).toBe(2);
  });

  it('refuses a token without kid, a key-type confusion and an unreachable provider', async () => {
    const verifier = new JwksTokenVerifier({ jwksUri: jwks.url });
    await verifier.verify(providerToken(rsa, 'alice'));
    expect(() => verifier.verify(providerToken({ ...rsa, kid: '' }, 'alice'))).toThrow(/kid/);
    // HS256 signed with the RSA public key as the secret: the classic confusion attack.
    const { sign } = await import('jsonwebtoken');
    const confused = sign({ sub: 'alice' }, rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string, {
      algorithm: 'HS256',
      keyid: 'rsa-1',
      expiresIn: 60,
    });
    expect(() => verifier.verify(confused)).toThrow(InvalidTokenException);
    await jwks.stop();
    const orphan = new JwksTokenVerifier({ jwksUri: jwks.url, requestTimeoutMs: 1000 });
    await expect(orphan.verify(providerToken(rsa, 'alice'))).rejects.toThrow(/could not be fetched/);
    jwks = await new JwksServer().start();
  });

  it.each(malformedTokens('rsa-1'))('refuses %s as an invalid token', async (_, token) => {
    const verifier = new JwksTokenVerifier({ jwksUri: jwks.url });
    await verifier.verify(providerToken(rsa, 'alice'));
    // Thrown or rejected, it must be InvalidTokenException: anything else is a 500.
    await expect(Promise.resolve().then(() => verifier.verify(token))).rejects.toThrow(InvalidTokenException);
  });
});

import { CachedTokenVerifier } from './cached-token-verifier';
import { InvalidTokenException } from './invalid-token.exception';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

/** A verifier that accepts `user:<id>:<exp ms>` and counts its calls. */
class CountingVerifier implements TokenVerifier {
  calls = 0;

  verify(token: string): Principal {
    this.calls++;
    const [kind, userId, expiresAt] = token.split(':');
    if (kind !== 'user') throw new InvalidTokenException('not a token');
    return { userId, scopes: new Set(), expiresAt: Number(expiresAt), issuedAt: undefined, claims: {} };
  }
}

describe(CachedTokenVerifier.name, () => {
  let inner: CountingVerifier;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    inner = new CountingVerifier();
  });
  afterEach(() => jest.useRealTimers());

  it('checks a token once and answers repeats from memory with the same principal', () => {
    const cached = new CachedTokenVerifier(inner);
    const token = `user:alice:${NOW + 3_600_000}`;
    const first = cached.verify(token);
    expect(cached.verify(token)).toBe(first);
    expect(inner.calls).toBe(1);
  });

  it('never serves a token past its exp, nor longer than its maximum age', () => {
    const cached = new CachedTokenVerifier(inner, 10, 60_000);
    const shortLived = `user:bob:${NOW + 5000}`;
    void cached.verify(shortLived);
    jest.advanceTimersByTime(5000);
    void cached.verify(shortLived);
    expect(inner.calls).toBe(2); // asked again at exp: the real verifier decides (and would refuse)

    const longLived = `user:carol:${NOW + 3_600_000}`;
    void cached.verify(longLived);
    jest.advanceTimersByTime(60_000);
    void cached.verify(longLived);
    expect(inner.calls).toBe(4);
  });

  it('does not remember refusals', () => {
    const cached = new CachedTokenVerifier(inner);
    expect(() => cached.verify('forged')).toThrow(InvalidTokenException);
    expect(() => cached.verify('forged')).toThrow(InvalidTokenException);
    expect(inner.calls).toBe(2);
  });

  it('forgets the least recently used token first when full', () => {
    const cached = new CachedTokenVerifier(inner, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => `user:${id}:${NOW + 3_600_000}`);
    void cached.verify(a);
    void cached.verify(b);
    void cached.verify(a); // a is now more recent than b
    void cached.verify(c); // b goes
    inner.calls = 0;
    void cached.verify(a);
    void cached.verify(c);
    expect(inner.calls).toBe(0);
    void cached.verify(b);
    expect(inner.calls).toBe(1);
  });

  it('remembers what an asynchronous verifier (JWKS) resolved', async () => {
    const asynchronous: TokenVerifier = { verify: async (token) => inner.verify(token) };
    const cached = new CachedTokenVerifier(asynchronous);
    const token = `user:dave:${NOW + 3_600_000}`;
    const first = await cached.verify(token);
    expect(cached.verify(token)).toBe(first); // synchronous now
    expect(inner.calls).toBe(1);
  });
});

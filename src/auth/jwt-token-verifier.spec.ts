import { sign } from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
import { malformedTokens } from '../../test/support/malformed-tokens';
import { InvalidTokenException } from './invalid-token.exception';
import { createJwtKey } from './jwt-key';
import { JwtTokenVerifier } from './jwt-token-verifier';

const secret = 'unit-test-secret-0123456789abcdef';

describe(JwtTokenVerifier.name, () => {
  const verifier = new JwtTokenVerifier(createJwtKey({ secret }), { audience: 'inbox' });

  it('turns a valid token into a principal with its scopes', () => {
    const token = sign({ sub: 'alice', scope: 'notifications:send other', aud: 'inbox' }, secret, { expiresIn: 60 });
    const principal = verifier.verify(token);
    expect(principal.userId).toBe('alice');
    expect([...principal.scopes]).toEqual(['notifications:send', 'other']);
    expect(principal.expiresAt).toBeGreaterThan(Date.now());
    expect(principal.issuedAt).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a wrong audience, a missing sub and a missing exp', () => {
    const tokens = [
      sign({ sub: 'alice', aud: 'elsewhere' }, secret, { expiresIn: 60 }),
      sign({ aud: 'inbox' }, secret, { expiresIn: 60 }),
      sign({ sub: 'alice', aud: 'inbox' }, secret),
    ];
    for (const token of tokens) expect(() => verifier.verify(token)).toThrow(InvalidTokenException);
  });

  it('tolerates a small clock skew on exp, never more than 60 s', () => {
    const lenient = new JwtTokenVerifier(createJwtKey({ secret }), { clockToleranceSeconds: 3600 });
    const justExpired = sign({ sub: 'a', exp: Math.floor(Date.now() / 1000) - 10 }, secret);
    const longExpired = sign({ sub: 'a', exp: Math.floor(Date.now() / 1000) - 120 }, secret);
    expect(lenient.verify(justExpired).userId).toBe('a');
    expect(() => lenient.verify(longExpired)).toThrow(InvalidTokenException);
  });

  it('with maxTokenAgeSeconds, refuses a token issued longer ago and one without iat', () => {
    const bounded = new JwtTokenVerifier(createJwtKey({ secret }), { maxTokenAgeSeconds: 600, clockToleranceSeconds: 0 });
    const now = Math.floor(Date.now() / 1000);
    const exp = now + 3600;
    expect(bounded.verify(sign({ sub: 'a', iat: now - 590, exp }, secret)).userId).toBe('a');
    expect(() => bounded.verify(sign({ sub: 'a', iat: now - 610, exp }, secret))).toThrow(InvalidTokenException);
    expect(() => bounded.verify(sign({ sub: 'a', exp }, secret, { noTimestamp: true }))).toThrow(/iat required/);
    expect(verifier.verify(sign({ sub: 'a', aud: 'inbox', exp }, secret, { noTimestamp: true })).issuedAt).toBeUndefined();
  });

  it('never puts the token in its error message', () => {
    const token = sign({ sub: 'alice' }, 'wrong-secret-0123456789', { expiresIn: 60 });
    try {
      verifier.verify(token);
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as Error).message).not.toContain(token);
      expect((error as InvalidTokenException).code).toBe('NOTIFICATIONS_ERR_INVALID_TOKEN');
    }
  });

  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  it.each([
    ['a secret', verifier],
    ['a public key', new JwtTokenVerifier(createJwtKey({ publicKey: publicKey.export({ format: 'pem', type: 'spki' }) as string }))],
  ])('with %s, refuses every malformed token as an invalid token', (_, withKey) => {
    for (const [, token] of malformedTokens('any')) expect(() => withKey.verify(token)).toThrow(InvalidTokenException);
  });
});

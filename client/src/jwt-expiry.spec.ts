import { readTokenExpiry } from './jwt-expiry';
import { testToken } from './testing/test-token';

describe(readTokenExpiry.name, () => {
  it('reads exp in milliseconds', () => {
    expect(readTokenExpiry(testToken({ sub: 'u1', exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
  });

  it('decodes base64url payloads, including - and _ and non-ASCII claims', () => {
    // "~~~" and "ÿ" encode to base64 with + and /, which base64url turns into - and _.
    const token = testToken({ sub: '~~~?ÿ', name: 'Zoë ✓', exp: 1_900_000_001 });
    expect(token.split('.')[1]).toMatch(/[-_]/);
    expect(readTokenExpiry(token)).toBe(1_900_000_001_000);
  });

  it.each([
    ['an opaque token', 'not-a-jwt'],
    ['a payload that is not JSON', 'a.bm90IGpzb24.c'],
    ['a token without exp', testToken({ sub: 'u1' })],
    ['a non-numeric exp', testToken({ sub: 'u1', exp: 'soon' })],
  ])('returns undefined for %s', (_label, token) => {
    expect(readTokenExpiry(token)).toBeUndefined();
  });
});

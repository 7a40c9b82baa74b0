/** An unsigned JWT-shaped token with the given claims: the client never verifies signatures. */
export function testToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

/** A token for `sub` expiring `lifetimeMs` from the (fake) clock's now. */
export function tokenExpiringIn(lifetimeMs: number, sub = 'u1'): string {
  return testToken({ sub, exp: Math.floor((Date.now() + lifetimeMs) / 1000) });
}

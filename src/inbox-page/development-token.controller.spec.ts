import { BadRequestException } from '@nestjs/common';
import { verify } from 'jsonwebtoken';
import { DevelopmentTokenController } from './development-token.controller';

describe(DevelopmentTokenController.name, () => {
  const key = { secret: 'development-secret', issuer: 'dev-issuer', audience: 'dev-audience' };
  const controller = new DevelopmentTokenController({ developmentTokens: key });

  it('mints an hour-long token for the user, on the development key, with iss and aud when configured', () => {
    const { token, expiresIn } = controller.token({ userId: 'alice' });
    const claims = verify(token, key.secret, { algorithms: ['HS256'], issuer: key.issuer, audience: key.audience }) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ sub: 'alice' });
    expect(claims.scope).toBeUndefined();
    expect(expiresIn).toBe(3600);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it('adds the send scope only when asked with send: true', () => {
    const { token } = controller.token({ userId: 'alice', send: true });
    expect((verify(token, key.secret) as Record<string, unknown>).scope).toBe('notifications:send');
  });

  it.each([[{}], [{ userId: '' }], [{ userId: 42 }], [{ userId: 'a b' }], [{ userId: 'x'.repeat(101) }]])('refuses %p with 400', (body) => {
    expect(() => controller.token(body)).toThrow(BadRequestException);
  });
});

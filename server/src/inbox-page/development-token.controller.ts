import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { SCOPE_SEND } from 'nest-live-notifications';
import { INBOX_PAGE_OPTIONS, InboxPageOptions } from './inbox-page.options';

const USER_ID = /^[\w.@-]{1,100}$/;
const LIFETIME_SECONDS = 3600;

/**
 * `POST /dev/token {userId, send?}`: mints a token on the development key for the page's
 * user picker. Registered only when the server runs on the development key, which a
 * production server refuses to start with.
 */
@Controller('dev')
export class DevelopmentTokenController {
  constructor(@Inject(INBOX_PAGE_OPTIONS) private readonly options: InboxPageOptions) {}

  @Post('token')
  @HttpCode(200)
  token(@Body() body: { userId?: unknown; send?: unknown }): { token: string; expiresIn: number } {
    const key = this.options.developmentTokens!;
    if (typeof body?.userId !== 'string' || !USER_ID.test(body.userId)) {
      throw new BadRequestException('userId must be 1-100 letters, digits, or . _ @ -');
    }
    const claims = body.send === true ? { sub: body.userId, scope: SCOPE_SEND } : { sub: body.userId };
    const token = sign(claims, key.secret, {
      algorithm: 'HS256',
      expiresIn: LIFETIME_SECONDS,
      ...(key.issuer ? { issuer: key.issuer } : {}),
      ...(key.audience ? { audience: key.audience } : {}),
    });
    return { token, expiresIn: LIFETIME_SECONDS };
  }
}

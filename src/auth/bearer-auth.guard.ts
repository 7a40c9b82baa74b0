import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCEPTS_QUERY_TOKEN } from './accepts-query-token.decorator';
import { extractBearerToken, headerBearerToken, queryAccessToken } from './bearer-token';
import { InvalidTokenException } from './invalid-token.exception';
import { Principal } from './principal';
import { RevocationService } from './revocation.service';
import { TokenVerifier } from './token-verifier';

/** The request property where the verified principal is kept for the handler. */
export const PRINCIPAL_KEY = 'notificationsPrincipal';

/**
 * 401 unless the request carries a valid, unrevoked bearer token; keeps the principal on the
 * request. The token comes in the Authorization header, or as `?access_token=` on routes marked
 * with @AcceptsQueryToken() (the event stream).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    private readonly revocations: RevocationService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const acceptsQuery = this.reflector.getAllAndOverride<boolean>(ACCEPTS_QUERY_TOKEN, [context.getHandler(), context.getClass()]);
    const token = acceptsQuery ? extractBearerToken(request) : headerBearerToken(request);
    if (!token) {
      if (!acceptsQuery && !request.headers.authorization && queryAccessToken(request) !== undefined) {
        throw new UnauthorizedException(
          '?access_token is accepted only where a browser cannot set headers (the WebSocket upgrade, the event stream); ' +
            'send Authorization: Bearer <jwt>',
        );
      }
      throw new UnauthorizedException('A bearer token is required (Authorization: Bearer <jwt>)');
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenException) throw new UnauthorizedException(error.message);
      throw error;
    }
    if (await this.revocations.isRevoked(principal)) throw new UnauthorizedException('This token was revoked; sign in again');
    request[PRINCIPAL_KEY] = principal;
    return true;
  }
}

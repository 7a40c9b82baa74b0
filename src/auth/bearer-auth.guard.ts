import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { extractBearerToken } from './bearer-token';
import { InvalidTokenException } from './invalid-token.exception';
import { Principal } from './principal';
import { RevocationService } from './revocation.service';
import { TokenVerifier } from './token-verifier';

/** The request property where the verified principal is kept for the handler. */
export const PRINCIPAL_KEY = 'notificationsPrincipal';

/** 401 unless the request carries a valid, unrevoked bearer token; keeps the principal on the request. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    private readonly revocations: RevocationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const token = extractBearerToken(request);
    if (!token) throw new UnauthorizedException('A bearer token is required (Authorization: Bearer <jwt>)');
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

import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { PRINCIPAL_KEY } from '../auth/bearer-auth.guard';
import { Principal } from '../auth/principal';
import { SessionCap } from '../sessions/session-cap';

/**
 * 429 before a stream starts when the (already authenticated) user holds the most sessions
 * allowed, WebSocket and Server-Sent Events together, as the WebSocket handshake refuses.
 * A guard rather than code in the handler: it runs before any header is written, whatever
 * HTTP platform serves the stream.
 */
@Injectable()
export class SessionCapGuard implements CanActivate {
  constructor(private readonly sessionCap: SessionCap) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal: Principal = context.switchToHttp().getRequest()[PRINCIPAL_KEY];
    const tooMany = await this.sessionCap.refusal(principal.userId);
    if (tooMany) throw new HttpException(tooMany, HttpStatus.TOO_MANY_REQUESTS);
    return true;
  }
}

import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { PRINCIPAL_KEY } from '../auth/bearer-auth.guard';
import { Principal } from '../auth/principal';
import { SessionCap } from '../sessions/session-cap';

/**
 * 429 before a stream starts when the (already authenticated) user holds the most sessions
 * allowed, WebSocket and Server-Sent Events together, as the WebSocket handshake refuses.
 * A guard rather than code in the handler: it runs before any header is written, whatever
 * HTTP platform serves the stream. The slot it reserves lives as long as the response: it is
 * released when the stream ends, and as well when the request fails after this guard (a bad
 * Last-Event-ID) or the client is already gone.
 */
@Injectable()
export class SessionCapGuard implements CanActivate {
  constructor(private readonly sessionCap: SessionCap) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const principal: Principal = http.getRequest()[PRINCIPAL_KEY];
    const slot = await this.sessionCap.reserve(principal.userId);
    if (!slot) throw new HttpException(this.sessionCap.refusal, HttpStatus.TOO_MANY_REQUESTS);
    const response = nodeResponse(http.getResponse());
    if (response.destroyed) slot.release();
    else response.once('close', () => slot.release());
    return true;
  }
}

/** Node's response under Fastify's reply (`raw`), or Express's response itself. */
function nodeResponse(response: ServerResponse | { raw: ServerResponse }): ServerResponse {
  return 'raw' in response ? response.raw : response;
}

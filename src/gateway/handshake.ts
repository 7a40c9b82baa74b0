import { IncomingMessage } from 'node:http';
import { extractBearerToken } from '../auth/bearer-token';
import { InvalidTokenException } from '../auth/invalid-token.exception';
import { Principal } from '../auth/principal';
import { TokenVerifier } from '../auth/token-verifier';

/** What an accepted upgrade carries into the session. */
export interface AcceptedHandshake {
  principal: Principal;
  /** `?after=<cursor>`: replay everything after it instead of everything unacknowledged. */
  resumeAfter: string | undefined;
}

/** A refused upgrade: answered as plain HTTP before any `101`. */
export interface RefusedHandshake {
  status: number;
  message: string;
}

const CURSOR = /^\d{1,19}$/;

/** Decides, from the HTTP upgrade request alone, whether a WebSocket may open. */
export class Handshake {
  constructor(private readonly verifier: TokenVerifier) {}

  async check(request: IncomingMessage): Promise<AcceptedHandshake | RefusedHandshake> {
    const token = extractBearerToken(request);
    if (!token) return { status: 401, message: 'A token is required: Authorization: Bearer <jwt> or ?access_token=' };
    let principal: Principal;
    try {
      // Usually synchronous; a promise only while a JWKS verifier fetches a rotated key.
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenException) return { status: 401, message: error.message };
      throw error;
    }
    const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
    const after = query.get('after') ?? undefined;
    if (after !== undefined && !CURSOR.test(after)) {
      return { status: 400, message: 'after must be a cursor (digits) from a notification' };
    }
    return { principal, resumeAfter: after };
  }
}

export function isRefused(outcome: AcceptedHandshake | RefusedHandshake): outcome is RefusedHandshake {
  return 'status' in outcome;
}

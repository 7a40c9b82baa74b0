import { IncomingMessage } from 'node:http';
import { extractBearerToken } from '../auth/bearer-token';
import { InvalidTokenException } from '../auth/invalid-token.exception';
import { Principal } from '../auth/principal';
import { RevocationService } from '../auth/revocation.service';
import { TokenVerifier } from '../auth/token-verifier';
import { CURSOR_RULE, isCursor } from '../model/cursor';
import { OriginAllowlist } from './origin-allowlist';
import { SessionCap, SessionSlot } from '../sessions/session-cap';

/** What an accepted upgrade carries into the session. */
export interface AcceptedHandshake {
  principal: Principal;
  /** `?after=<cursor>`: replay everything after it instead of everything unacknowledged. */
  resumeAfter: string | undefined;
  /** The session's place under the per-user cap, taken by the check: released when the connection closes. */
  slot: SessionSlot;
}

/** A refused upgrade: answered as plain HTTP before any `101`. */
export interface RefusedHandshake {
  status: number;
  message: string;
}

export interface HandshakeRules {
  origins: OriginAllowlist;
  sessionCap: SessionCap;
}

/** Decides, from the HTTP upgrade request alone, whether a WebSocket may open. */
export class Handshake {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly rules: HandshakeRules,
    private readonly revocations: RevocationService,
  ) {}

  async check(request: IncomingMessage): Promise<AcceptedHandshake | RefusedHandshake> {
    // First, before the token is even read: a page from another site must not ride on the
    // browser's cookies or stored token (cross-site WebSocket hijacking).
    if (!this.rules.origins.allows(request.headers.origin)) {
      return { status: 403, message: 'This origin may not connect' };
    }
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
    if (after !== undefined && !isCursor(after)) return { status: 400, message: `after must be ${CURSOR_RULE}` };
    if (await this.revocations.isRevoked(principal)) {
      return { status: 401, message: 'This token was revoked; sign in again' };
    }
    // Last: nothing may refuse the upgrade once it holds a slot.
    const slot = await this.rules.sessionCap.reserve(principal.userId);
    if (!slot) return { status: 429, message: this.rules.sessionCap.refusal };
    return { principal, resumeAfter: after, slot };
  }
}

export function isRefused(outcome: AcceptedHandshake | RefusedHandshake): outcome is RefusedHandshake {
  return 'status' in outcome;
}

import { Logger } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { RevocationService } from '../auth/revocation.service';
import { TokenVerifier } from '../auth/token-verifier';
import { ChannelAddressesStore } from '../persistence/channel-addresses.store';
import { UnitOfWork } from '../persistence/unit-of-work';

/** Users whose recorded email this node remembers; past this it starts over (a write each, once). */
const REMEMBERED_USERS = 10_000;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/**
 * Keeps the `email` claim of each user's token as last seen, for the email channel: checked
 * on every verified token (WebSocket handshake and REST alike), written only when it differs
 * from what this node last wrote for that user, never on the request's path. A revoked token's
 * claim is not kept (its request is refused after verification), and a revocation (an erasure
 * starts with one) makes every node forget what it wrote for that user, so that a token issued
 * later records the address again.
 */
export class ContactRecorder {
  private readonly logger = new Logger('ContactRecorder');
  private readonly addresses = new ChannelAddressesStore();
  private readonly written = new Map<string, string>();
  /** Writes go one after another, so a user's newer claim is never overwritten by an older one. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly revocations: RevocationService,
  ) {
    revocations.onRevoked((userId) => this.written.delete(userId));
  }

  record(principal: Principal): void {
    const email = principal.claims.email;
    if (typeof email !== 'string' || !EMAIL.test(email) || email.length > 320) return;
    if (this.written.get(principal.userId) === email) return;
    if (this.written.size >= REMEMBERED_USERS) this.written.clear();
    this.written.set(principal.userId, email);
    const seenAt = new Date().toISOString();
    this.queue = this.queue
      .then(async () => {
        if (await this.revocations.isRevoked(principal)) {
          this.written.delete(principal.userId);
          return;
        }
        await this.unitOfWork.writeStatement((manager) => this.addresses.saveEmail(manager, principal.userId, email, seenAt));
      })
      .catch((error: Error) => {
        this.written.delete(principal.userId);
        this.logger.warn(`The email claim of a user could not be stored: ${error.message}`);
      });
  }

  /** The verifier, recording the claim of every token it accepts. */
  wrap(verifier: TokenVerifier): TokenVerifier {
    // Synchronous when the verifier is: the handshake's fast path stays so.
    const recorded = (principal: Principal) => {
      this.record(principal);
      return principal;
    };
    return {
      verify: (token: string) => {
        const result = verifier.verify(token);
        return result instanceof Promise ? result.then(recorded) : recorded(result);
      },
    };
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { RevocationService } from '../auth/revocation.service';
import { PeriodicTask } from '../workers/periodic-task';
import { CloseCode } from '../protocol/close-code';
import { SessionRegistry } from './session-registry';

/** The shortest interval between checks, whatever revocationCacheMs says. */
const MIN_INTERVAL_MS = 100;

/**
 * Closes this node's sessions (4403) whose token a revocation covers. The bus's `revoke`
 * message does it at once; this check does it from the database, because a message can be
 * lost (Redis restarted empty, a node cut off): every revocation cache interval, and at once
 * when the bus says messages may have been lost (resync). Each run reads the users with a
 * session here whose revocation time was not read within the interval, a batch per query.
 */
@Injectable()
export class SessionRevocationCheck implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;
  /** Set when the next run must read every user again, whatever the cache holds. */
  private rereadAll = false;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly revocations: RevocationService,
  ) {
    this.task = new PeriodicTask('Checking sessions against revocations', new Logger('SessionRevocationCheck'), () => this.check());
  }

  onApplicationBootstrap(): void {
    this.task.start(Math.max(this.revocations.cacheMs, MIN_INTERVAL_MS));
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** Reads every user's revocation again now (after a run in progress, which may have read before the loss). */
  recheckAll(): Promise<void> {
    this.rereadAll = true;
    return this.task.runOnce().then(() => (this.rereadAll ? this.task.runOnce() : undefined));
  }

  /** Closes the user's sessions whose token the revocation this node knows of covers. */
  closeRevokedSessionsOf(userId: string): void {
    for (const session of [...(this.registry.ofUser(userId) ?? [])]) {
      if (this.revocations.isKnownRevoked(session.principal)) session.close(CloseCode.AccessRevoked, 'access revoked');
    }
  }

  private async check(): Promise<void> {
    const force = this.rereadAll;
    this.rereadAll = false;
    const userIds = this.registry.userIds();
    await this.revocations.refresh(userIds, force);
    for (const userId of userIds) this.closeRevokedSessionsOf(userId);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DeliveryBus } from '../delivery/delivery-bus';
import { chunk, placeholders, runSql } from '../persistence/sql';
import { UnitOfWork } from '../persistence/unit-of-work';
import { ResolvedOptions } from '../config/resolved-options';
import { Principal } from './principal';

/** Users whose revocation state a node keeps in memory; the oldest are forgotten first. */
const MAX_CACHED_USERS = 10_000;
/** Users per query when the revocation times of many are read again at once. */
const REFRESH_BATCH_SIZE = 500;

interface CachedRevocation {
  /** Milliseconds since the epoch, or null when the user was never revoked. */
  revokedBefore: number | null;
  freshUntil: number;
}

/**
 * Revokes a user's access: the time is kept in the database, so every node refuses tokens
 * issued up to then, and a `revoke` message on the bus closes the user's open sessions on
 * every node. Lookups are cached briefly so that handshakes stay fast; the bus message
 * refreshes the cache at once. A message can be lost (Redis restarted empty), so open
 * sessions are also checked against `refresh`ed times every cache interval
 * (SessionRevocationCheck).
 */
@Injectable()
export class RevocationService {
  private readonly cache = new Map<string, CachedRevocation>();
  private readonly revokedListeners: Array<(userId: string) => void> = [];
  private readonly pending = new Map<string, Promise<number | null>>();
  /** How long a node trusts what it read of a user's revocation, in ms. */
  readonly cacheMs: number;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @Inject(DeliveryBus) private readonly bus: DeliveryBus,
    options: ResolvedOptions,
  ) {
    this.cacheMs = options.revocationCacheMs;
  }

  /** Refuses the user's tokens issued up to now and closes their sessions on every node. */
  async revoke(userId: string): Promise<void> {
    const revokedBefore = new Date().toISOString();
    await this.unitOfWork.write(
      (manager) =>
        runSql(
          manager,
          'INSERT INTO notification_revocations (user_id, revoked_before) VALUES (?, ?) ' +
            'ON CONFLICT (user_id) DO UPDATE SET revoked_before = excluded.revoked_before',
          [userId, revokedBefore],
        ),
      () => {
        this.remember(userId, revokedBefore);
        this.bus.publish({ kind: 'revoke', userId, revokedBefore });
      },
    );
  }

  /** True when the principal's token was issued at or before its user's revocation. */
  async isRevoked(principal: Principal): Promise<boolean> {
    return isIssuedBefore(principal, await this.revokedBefore(principal.userId));
  }

  /** The same answer from memory alone (false when nothing is cached). */
  isKnownRevoked(principal: Principal): boolean {
    return isIssuedBefore(principal, this.cache.get(principal.userId)?.revokedBefore ?? null);
  }

  /**
   * Reads again the revocation times of those of these users not read within the cache
   * interval (all of them with `force`), a batch of users per query: at most one lookup per
   * user per interval, however many sessions they hold and however many users there are.
   */
  async refresh(userIds: readonly string[], force = false): Promise<void> {
    const now = Date.now();
    const due = force ? userIds : userIds.filter((userId) => !((this.cache.get(userId)?.freshUntil ?? 0) > now));
    for (const batch of chunk(due, REFRESH_BATCH_SIZE)) {
      const { rows } = await this.unitOfWork.read((manager) =>
        runSql(
          manager,
          `SELECT user_id, revoked_before FROM notification_revocations WHERE user_id IN (${placeholders(batch.length)})`,
          batch,
        ),
      );
      const revokedBefore = new Map<string, number>(rows.map((row) => [row.user_id, Date.parse(row.revoked_before)]));
      for (const userId of batch) this.store(userId, revokedBefore.get(userId) ?? null);
    }
  }

  /** Records a revocation announced on the bus (or made here). */
  remember(userId: string, revokedBefore: string): void {
    this.store(userId, Date.parse(revokedBefore));
    for (const listener of this.revokedListeners) listener(userId);
  }

  /** Calls `listener` on this node for every revocation, made here or announced on the bus. */
  onRevoked(listener: (userId: string) => void): void {
    this.revokedListeners.push(listener);
  }

  private revokedBefore(userId: string): Promise<number | null> | number | null {
    const cached = this.cache.get(userId);
    if (cached && cached.freshUntil > Date.now()) return cached.revokedBefore;
    let lookup = this.pending.get(userId);
    if (!lookup) {
      lookup = this.unitOfWork
        .read((manager) => runSql(manager, 'SELECT revoked_before FROM notification_revocations WHERE user_id = ?', [userId]))
        .then(({ rows }) => {
          const revokedBefore = rows.length ? Date.parse(rows[0].revoked_before) : null;
          this.store(userId, revokedBefore);
          return revokedBefore;
        })
        .finally(() => this.pending.delete(userId));
      this.pending.set(userId, lookup);
    }
    return lookup;
  }

  /** Revocation times only move forward: a slow lookup never undoes a newer revocation. */
  private store(userId: string, revokedBefore: number | null): void {
    const known = this.cache.get(userId)?.revokedBefore ?? null;
    if (known !== null && (revokedBefore === null || known > revokedBefore)) revokedBefore = known;
    this.cache.delete(userId);
    this.cache.set(userId, { revokedBefore, freshUntil: Date.now() + this.cacheMs });
    if (this.cache.size > MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** `iat` has whole seconds: a token from the very second of the revocation is refused too. */
function isIssuedBefore(principal: Principal, revokedBefore: number | null): boolean {
  if (revokedBefore === null) return false;
  return principal.issuedAt === undefined || principal.issuedAt <= revokedBefore;
}

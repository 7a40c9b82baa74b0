/** One caller's acknowledgement, waiting for its batch. */
export interface PendingAck {
  userId: string;
  ids: readonly string[];
}

interface Waiting extends PendingAck {
  resolve: (count: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers acknowledgements for a few milliseconds and stores them together. Acks are the
 * most frequent write (every delivery brings one, from every session), and nobody waits on
 * them: a fan-out to 5,000 users brings 5,000 acks spread over many event-loop turns, and on
 * SQLite each turn's group of units paid a commit of its own (thousands of commits in the
 * bench's fan-out scenario). `store` writes a whole batch in one unit of work and answers
 * each ack's count, in order.
 *
 * One batch is stored at a time (group commit): acks that arrive while a batch is being
 * written wait and go together in the next, which starts as soon as that one is done. On
 * PostgreSQL, batches in flight side by side each took a pooled connection and a commit of
 * their own, away from the sends.
 */
export class AckBatch {
  private pending: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private storing: Promise<void> | undefined;

  constructor(
    private readonly store: (acks: readonly PendingAck[]) => Promise<number[]>,
    private readonly windowMs: number,
  ) {}

  /** Queues an ack; resolves with how many of its notifications changed once the batch is stored. */
  add(userId: string, ids: readonly string[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ userId, ids, resolve, reject });
      // While a batch is being stored, the next one starts when it ends: no window needed.
      if (!this.storing) this.timer ??= setTimeout(() => this.storeNext(), this.windowMs);
    });
  }

  /** Stores everything queued now, and waits until nothing is queued or being stored. */
  async flush(): Promise<void> {
    while (this.storing || this.pending.length > 0) {
      if (!this.storing) this.storeNext();
      await this.storing;
    }
  }

  private storeNext(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.storing || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.storing = this.storeBatch(batch).finally(() => {
      this.storing = undefined;
      if (this.pending.length > 0) this.storeNext();
    });
  }

  /**
   * One user's ack must never cost another user theirs: when a batch fails, each of its acks
   * is stored again on its own, and only those that fail alone are rejected (an id PostgreSQL
   * cannot hold, say, fails the whole statement it is part of).
   */
  private async storeBatch(batch: Waiting[]): Promise<void> {
    try {
      const counts = await this.store(batch.map(({ userId, ids }) => ({ userId, ids })));
      batch.forEach((ack, index) => ack.resolve(counts[index]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((ack) => this.storeBatch([ack])));
    }
  }
}

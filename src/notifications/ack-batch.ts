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
 * bench's fan-out scenario). `store` writes a whole batch in one unit of
 * work and answers each ack's count, in order.
 */
export class AckBatch {
  private pending: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = new Set<Promise<void>>();

  constructor(
    private readonly store: (acks: readonly PendingAck[]) => Promise<number[]>,
    private readonly windowMs: number,
  ) {}

  /** Queues an ack; resolves with how many of its notifications changed once the batch is stored. */
  add(userId: string, ids: readonly string[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ userId, ids, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
    });
  }

  /** Stores what is queued now and waits for every batch still being stored. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      const stored = this.storeBatch(batch);
      this.flushing.add(stored);
      void stored.finally(() => this.flushing.delete(stored));
    }
    await Promise.all(this.flushing);
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

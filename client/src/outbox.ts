/** Client frames that carry ids and can be batched. */
export type IdFrame = 'ack' | 'read';

/** Sends one frame; returns false when there is no open session to send it on. */
export type SendIds = (event: IdFrame, ids: string[]) => boolean;

// Well under the server's default frame limit (16 KiB): a 1009 close would lose the batch.
const MAX_IDS_CHARS = 8000;

/**
 * Collects ids to acknowledge or mark read, and sends them in batches once per microtask.
 * Ids that find no open session wait for the next one: `ack` and `read` apply to the user,
 * from any session, so a later session may carry them.
 */
export class Outbox {
  private readonly pending: Record<IdFrame, Set<string>> = { ack: new Set(), read: new Set() };
  private scheduled = false;

  constructor(private readonly sendIds: SendIds) {}

  /** Queues ids for the next batch. */
  add(event: IdFrame, ids: readonly string[]): void {
    for (const id of ids) this.pending[event].add(id);
    if (this.scheduled) return;
    this.scheduled = true;
    // A resolved promise, not setTimeout: it batches one tick's worth without adding latency.
    void Promise.resolve().then(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Sends everything pending now, in frames small enough for the server. */
  flush(): void {
    for (const event of Object.keys(this.pending) as IdFrame[]) {
      const ids = this.pending[event];
      for (const chunk of chunkIds([...ids])) {
        if (!this.sendIds(event, chunk)) return;
        for (const id of chunk) ids.delete(id);
      }
    }
  }
}

function chunkIds(ids: string[]): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let chars = 0;
  for (const id of ids) {
    const size = JSON.stringify(id).length + 1;
    if (chunk.length > 0 && chars + size > MAX_IDS_CHARS) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
    }
    chunk.push(id);
    chars += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

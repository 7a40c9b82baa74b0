/** Client frames that carry ids and can be batched. */
export type IdFrame = 'ack' | 'read' | 'seen';

/** Sends one frame; returns false when there is no open session to send it on. */
export type SendIds = (event: IdFrame, ids: string[]) => boolean;

// Well under the server's default frame limit (16 KiB): a 1009 close would lose the batch.
const MAX_IDS_CHARS = 8000;
// At most two frames per window: with the default 100 ms window that is 20 frames a second,
// well under the server's default flood limit (50 client frames a second closes 1008).
const MAX_FRAMES_PER_WINDOW = 2;

/**
 * Collects ids to acknowledge or mark read, and sends them in batches: at once (after the
 * current tick) when nothing went out in the last window, otherwise when the window ends.
 * A browser receives every message in a task of its own, so without the window a backlog
 * of 1,000 notifications would send 1,000 `ack` frames and be closed for flooding.
 * Ids that find no open session wait for the next one: `ack`, `read` and `seen` apply to the user,
 * from any session, so a later session may carry them.
 */
export class Outbox {
  private readonly pending: Record<IdFrame, Set<string>> = { ack: new Set(), read: new Set(), seen: new Set() };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private tickQueued = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sendIds: SendIds,
    private readonly windowMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues ids for the next batch. */
  add(event: IdFrame, ids: readonly string[]): void {
    for (const id of ids) this.pending[event].add(id);
    this.schedule();
  }

  /**
   * Sends what is pending now, in frames small enough for the server, at most a window's
   * worth; the rest waits for the next window.
   */
  flush(): void {
    this.cancel();
    let frames = 0;
    for (const event of Object.keys(this.pending) as IdFrame[]) {
      const ids = this.pending[event];
      for (const chunk of chunkIds([...ids])) {
        if (frames === MAX_FRAMES_PER_WINDOW) return this.schedule();
        if (!this.sendIds(event, chunk)) return;
        frames += 1;
        this.lastSentAt = this.now();
        for (const id of chunk) ids.delete(id);
      }
    }
  }

  /** Stops the pending timer; queued ids stay queued for a later `flush`. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.tickQueued = false;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.tickQueued) return;
    const wait = this.lastSentAt + this.windowMs - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => this.flush(), wait);
      return;
    }
    // A resolved promise, not a timer: it batches one tick's worth without adding latency.
    this.tickQueued = true;
    void Promise.resolve().then(() => {
      if (this.tickQueued) this.flush();
    });
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

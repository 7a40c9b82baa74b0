import { AckBatch, PendingAck } from './ack-batch';

describe(AckBatch.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function recordingBatch(store?: (acks: readonly PendingAck[]) => Promise<number[]>) {
    const batches: PendingAck[][] = [];
    const batch = new AckBatch(async (acks) => {
      batches.push([...acks]);
      return store ? store(acks) : acks.map((ack) => ack.ids.length);
    }, 5);
    return { batch, batches };
  }

  it('stores the acks of one window together and answers each its own count', async () => {
    const { batch, batches } = recordingBatch();
    const first = batch.add('alice', ['n1']);
    await jest.advanceTimersByTimeAsync(2);
    const second = batch.add('bob', ['n2', 'n3']);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(3);
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(batches).toEqual([
      [
        { userId: 'alice', ids: ['n1'] },
        { userId: 'bob', ids: ['n2', 'n3'] },
      ],
    ]);

    const third = batch.add('alice', ['n4']);
    await jest.advanceTimersByTimeAsync(5);
    await expect(third).resolves.toBe(1);
    expect(batches).toHaveLength(2);
  });

  it('fails every ack of a batch that could not be stored, and goes on with the next', async () => {
    let fail = true;
    const { batch } = recordingBatch(async (acks) => {
      if (fail) throw new Error('disk I/O error');
      return acks.map(() => 1);
    });
    const lost = [batch.add('alice', ['n1']), batch.add('bob', ['n2'])];
    const settled = Promise.allSettled(lost);
    await jest.advanceTimersByTimeAsync(5);
    expect((await settled).map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    const next = batch.add('alice', ['n1']);
    await jest.advanceTimersByTimeAsync(5);
    await expect(next).resolves.toBe(1);
  });

  it('retries each ack of a failed batch on its own: only the ack that cannot be stored fails', async () => {
    const { batch, batches } = recordingBatch(async (acks) => {
      if (acks.some((ack) => ack.ids.includes('poison'))) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      return acks.map((ack) => ack.ids.length);
    });
    const acks = [batch.add('alice', ['n1']), batch.add('mallory', ['poison']), batch.add('bob', ['n2', 'n3'])];
    const settled = Promise.allSettled(acks);
    await jest.advanceTimersByTimeAsync(5);
    expect(await settled).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new Error('invalid byte sequence for encoding "UTF8": 0x00') },
      { status: 'fulfilled', value: 2 },
    ]);
    expect(batches.slice(1)).toEqual([
      [{ userId: 'alice', ids: ['n1'] }],
      [{ userId: 'mallory', ids: ['poison'] }],
      [{ userId: 'bob', ids: ['n2', 'n3'] }],
    ]);
  });

  it('stores what is waiting at once on flush, and waits for batches still being stored', async () => {
    let finishStore = () => undefined as void;
    const { batch, batches } = recordingBatch((acks) => new Promise((resolve) => (finishStore = () => resolve(acks.map(() => 1)))));
    const ack = batch.add('alice', ['n1']);
    let flushed = false;
    const flush = batch.flush().then(() => (flushed = true));
    expect(batches).toHaveLength(1);
    await Promise.resolve();
    expect(flushed).toBe(false);
    finishStore();
    await flush;
    await expect(ack).resolves.toBe(1);
    await jest.advanceTimersByTimeAsync(10);
    expect(batches).toHaveLength(1);
  });

  it('stores one batch at a time: acks that arrive meanwhile go together in the next, at once', async () => {
    const finishes: Array<() => void> = [];
    const { batch, batches } = recordingBatch((acks) => new Promise((resolve) => finishes.push(() => resolve(acks.map(() => 1)))));
    const first = batch.add('alice', ['n1']);
    await jest.advanceTimersByTimeAsync(5);
    expect(batches).toHaveLength(1);
    const waiting = [batch.add('bob', ['n2']), batch.add('carol', ['n3'])];
    await jest.advanceTimersByTimeAsync(50);
    expect(batches).toHaveLength(1);
    finishes[0]();
    await expect(first).resolves.toBe(1);
    // The next batch starts when the first ends, without waiting for a window.
    await Promise.resolve();
    expect(batches).toEqual([
      [{ userId: 'alice', ids: ['n1'] }],
      [
        { userId: 'bob', ids: ['n2'] },
        { userId: 'carol', ids: ['n3'] },
      ],
    ]);
    finishes[1]();
    await expect(Promise.all(waiting)).resolves.toEqual([1, 1]);
  });
});

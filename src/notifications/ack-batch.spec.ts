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
});

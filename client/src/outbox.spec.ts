import { Outbox, type IdFrame } from './outbox';

describe(Outbox.name, () => {
  const tick = () => Promise.resolve();
  afterEach(() => jest.useRealTimers());

  const uuid = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

  /** The most frames sent in any one-second span. */
  function busiestSecond(frames: Array<{ at: number }>): number {
    return Math.max(...frames.map((frame) => frames.filter((other) => other.at >= frame.at && other.at < frame.at + 1000).length));
  }

  function outboxWithSession(open = true) {
    const frames: Array<{ event: IdFrame; ids: string[]; at: number }> = [];
    const session = { open };
    const outbox = new Outbox((event, ids) => {
      if (!session.open) return false;
      frames.push({ event, ids, at: Date.now() });
      return true;
    });
    return { outbox, frames, session };
  }

  it('sends the ids added in one tick as one frame', async () => {
    const { outbox, frames } = outboxWithSession();
    outbox.add('ack', ['n1']);
    outbox.add('ack', ['n2', 'n1']);
    outbox.add('read', ['n3']);
    expect(frames).toEqual([]);
    await tick();
    expect(frames).toEqual([
      { event: 'ack', ids: ['n1', 'n2'], at: expect.any(Number) },
      { event: 'read', ids: ['n3'], at: expect.any(Number) },
    ]);
  });

  it('keeps ids while no session is open, and sends them on flush', async () => {
    const { outbox, frames, session } = outboxWithSession(false);
    outbox.add('ack', ['n1']);
    await tick();
    expect(frames).toEqual([]);
    session.open = true;
    outbox.flush();
    expect(frames).toEqual([{ event: 'ack', ids: ['n1'], at: expect.any(Number) }]);
    outbox.flush();
    expect(frames).toHaveLength(1);
  });

  it('splits a large batch into frames under the server frame limit, two per window', async () => {
    jest.useFakeTimers();
    const { outbox, frames } = outboxWithSession();
    const ids = Array.from({ length: 1000 }, (_, index) => uuid(index));
    outbox.add('ack', ids);
    await tick();
    expect(frames).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1000);
    expect(frames.length).toBeGreaterThan(2);
    expect(frames.flatMap((frame) => frame.ids)).toEqual(ids);
    for (const frame of frames) {
      expect(JSON.stringify({ event: 'ack', data: { ids: frame.ids } }).length).toBeLessThan(16_384);
    }
    expect(busiestSecond(frames)).toBeLessThanOrEqual(20);
  });

  // A browser hands the page every message in a task of its own, so a backlog arrives as
  // one ack per task; the server closes a session that sends more than 50 frames a second.
  it('sends ids added one per task in at most 20 frames a second, losing none', async () => {
    jest.useFakeTimers();
    const { outbox, frames } = outboxWithSession();
    const ids = Array.from({ length: 3000 }, (_, index) => uuid(index));
    for (const [index, id] of ids.entries()) {
      outbox.add('ack', [id]);
      if (index % 3 === 0) outbox.add('read', [id]);
      await jest.advanceTimersByTimeAsync(1);
    }
    await jest.advanceTimersByTimeAsync(1000);
    expect(
      frames
        .filter((frame) => frame.event === 'ack')
        .flatMap((frame) => frame.ids)
        .sort(),
    ).toEqual(ids);
    expect(frames.filter((frame) => frame.event === 'read').flatMap((frame) => frame.ids)).toHaveLength(1000);
    expect(busiestSecond(frames)).toBeLessThanOrEqual(20);
  });

  it('sends the first id after a quiet window without waiting', async () => {
    jest.useFakeTimers();
    const { outbox, frames } = outboxWithSession();
    outbox.add('read', ['n1']);
    await tick();
    await jest.advanceTimersByTimeAsync(500);
    outbox.add('read', ['n2']);
    await tick();
    expect(frames.map((frame) => frame.ids)).toEqual([['n1'], ['n2']]);
  });

  it('sends nothing after cancel until the next flush', async () => {
    jest.useFakeTimers();
    const { outbox, frames } = outboxWithSession();
    outbox.add('ack', ['n1']);
    await tick();
    outbox.add('ack', ['n2']);
    outbox.cancel();
    await jest.advanceTimersByTimeAsync(1000);
    expect(frames.map((frame) => frame.ids)).toEqual([['n1']]);
    outbox.flush();
    expect(frames.map((frame) => frame.ids)).toEqual([['n1'], ['n2']]);
  });
});

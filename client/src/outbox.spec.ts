import { Outbox, type IdFrame } from './outbox';

describe(Outbox.name, () => {
  const tick = () => Promise.resolve();

  function outboxWithSession(open = true) {
    const frames: Array<{ event: IdFrame; ids: string[] }> = [];
    const session = { open };
    const outbox = new Outbox((event, ids) => {
      if (!session.open) return false;
      frames.push({ event, ids });
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
      { event: 'ack', ids: ['n1', 'n2'] },
      { event: 'read', ids: ['n3'] },
    ]);
  });

  it('keeps ids while no session is open, and sends them on flush', async () => {
    const { outbox, frames, session } = outboxWithSession(false);
    outbox.add('ack', ['n1']);
    await tick();
    expect(frames).toEqual([]);
    session.open = true;
    outbox.flush();
    expect(frames).toEqual([{ event: 'ack', ids: ['n1'] }]);
    outbox.flush();
    expect(frames).toHaveLength(1);
  });

  it('splits a large batch into frames under the server frame limit', async () => {
    const { outbox, frames } = outboxWithSession();
    const ids = Array.from(
      { length: 1000 },
      (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    );
    outbox.add('ack', ids);
    await tick();
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.flatMap((frame) => frame.ids)).toEqual(ids);
    for (const frame of frames) {
      expect(JSON.stringify({ event: 'ack', data: { ids: frame.ids } }).length).toBeLessThan(16_384);
    }
  });
});

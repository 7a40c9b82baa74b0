import { SlidingWindowThrottlerStorage } from './sliding-window-throttler.storage';

const MINUTE = 60_000;

describe(SlidingWindowThrottlerStorage.name, () => {
  let storage: SlidingWindowThrottlerStorage;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-06-01T12:00:00.000Z') });
    storage = new SlidingWindowThrottlerStorage();
  });
  afterEach(() => {
    storage.close();
    jest.useRealTimers();
  });

  const hit = (key = 'sender', limit = 3, blockDuration = 0) => storage.increment(key, MINUTE, limit, blockDuration, 'default');

  it('admits up to the limit per window, refuses the next without counting it, and keeps keys apart', async () => {
    const outcomes = [];
    for (let index = 0; index < 5; index++) outcomes.push(await hit());
    expect(outcomes.map((outcome) => outcome.isBlocked)).toEqual([false, false, false, true, true]);
    expect(outcomes.map((outcome) => outcome.totalHits).slice(0, 3)).toEqual([1, 2, 3]);
    expect(outcomes[3].timeToBlockExpire).toBeGreaterThan(0);
    expect((await hit('another sender')).isBlocked).toBe(false);
  });

  it("slides: the last window's hits count for the part of it still inside the window", async () => {
    for (let index = 0; index < 3; index++) await hit();
    jest.advanceTimersByTime(MINUTE); // the next window begins: all 3 still within the last minute
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 20 }); // one slides out after 20 s
    jest.advanceTimersByTime(MINUTE / 2); // half of them have slid out
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 2 });
    jest.advanceTimersByTime(2 * MINUTE); // both windows gone
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('blocks for blockDuration after going over, as the built-in storage does', async () => {
    for (let index = 0; index < 3; index++) await hit('sender', 3, 5 * MINUTE);
    expect(await hit('sender', 3, 5 * MINUTE)).toMatchObject({ isBlocked: true, timeToBlockExpire: 300 });
    jest.advanceTimersByTime(3 * MINUTE);
    expect(await hit('sender', 3, 5 * MINUTE)).toMatchObject({ isBlocked: true, timeToBlockExpire: 120 });
    jest.advanceTimersByTime(2 * MINUTE);
    expect((await hit('sender', 3, 5 * MINUTE)).isBlocked).toBe(false);
  });

  it('keeps one counter per key, not one entry per hit: 200,000 hits a window', async () => {
    for (let index = 0; index < 200_000; index++) await storage.increment('busy', MINUTE, 1_000_000, 0, 'default');
    expect(await storage.increment('busy', MINUTE, 1_000_000, 0, 'default')).toMatchObject({ totalHits: 200_001, isBlocked: false });
  });
});

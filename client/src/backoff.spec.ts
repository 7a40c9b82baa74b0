import { Backoff } from './backoff';

describe(Backoff.name, () => {
  const almostOne = () => 0.999999;

  it('doubles the window on each attempt', () => {
    const backoff = new Backoff({ baseMs: 500, capMs: 30_000, random: almostOne });
    const delays = Array.from({ length: 6 }, () => backoff.next());
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999]);
  });

  it('never exceeds the cap', () => {
    const backoff = new Backoff({ baseMs: 500, capMs: 30_000, random: almostOne });
    const delays = Array.from({ length: 40 }, () => backoff.next());
    expect(delays.slice(6)).toEqual(Array(34).fill(29999));
  });

  it('draws from the full window, down to zero (full jitter)', () => {
    // At the cap, every draw comes from the same 8 s window.
    const backoff = new Backoff({ baseMs: 8000, capMs: 8000, random: Math.random });
    const delays = Array.from({ length: 2000 }, () => backoff.next());
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(8000);
    // Uniform: about 200 of 2,000 fall in each tenth of the window, at both ends.
    expect(delays.filter((delay) => delay < 800).length).toBeGreaterThan(100);
    expect(delays.filter((delay) => delay >= 7200).length).toBeGreaterThan(100);
  });

  it('returns zero and the window bound at the extremes of the random source', () => {
    expect(new Backoff({ baseMs: 500, capMs: 30_000, random: () => 0 }).next()).toBe(0);
    expect(new Backoff({ baseMs: 500, capMs: 30_000, random: almostOne }).next()).toBe(499);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ baseMs: 500, capMs: 30_000, random: almostOne });
    backoff.next();
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(499);
  });

  it('widens the window to a requested minimum, still under the cap', () => {
    const backoff = new Backoff({ baseMs: 500, capMs: 4000, random: almostOne });
    expect(backoff.window(2000)).toBe(2000);
    expect(backoff.window(10_000)).toBe(4000);
    expect(backoff.next(2000)).toBe(1999);
  });
});

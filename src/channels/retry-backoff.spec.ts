import { retryDelayMs } from './retry-backoff';

describe('retryDelayMs', () => {
  it('doubles per attempt, between half and all of the doubled base', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
  });

  it('spreads tries that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(4, 1000)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(4000);
  });

  it('never waits more than an hour', () => {
    expect(retryDelayMs(40, 5000, () => 1)).toBe(60 * 60 * 1000);
  });
});

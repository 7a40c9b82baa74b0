import { FrameRateLimiter } from './frame-rate-limiter';

describe(FrameRateLimiter.name, () => {
  it('allows the limit in one second, refuses the next frame, and starts over the next second', () => {
    const limiter = new FrameRateLimiter(3);
    expect([0, 100, 200, 300].map((now) => limiter.allow(1000 + now))).toEqual([true, true, true, false]);
    expect(limiter.allow(2000)).toBe(true);
  });
});

import { randomUUID } from 'node:crypto';
import { idsPerFrame, ResolvedOptions } from './resolved-options';

/** The bytes of the longest id frame: a read of `count` UUIDs. */
const readFrameBytes = (count: number) =>
  Buffer.byteLength(JSON.stringify({ event: 'read', data: { ids: Array.from({ length: count }, () => randomUUID()) } }));

describe(ResolvedOptions.name, () => {
  it('lets an ack or read frame carry 419 ids by default: as many as fit in 16 KiB', () => {
    expect(new ResolvedOptions().websocket).toMatchObject({ maxPayloadBytes: 16384, maxIdsPerFrame: 419 });
  });

  it.each([128, 1024, 16384, 20000])('allows as many ids as fit in a %i-byte frame, and not one more', (maxPayloadBytes) => {
    const maxIds = new ResolvedOptions({ websocket: { maxPayloadBytes } }).websocket.maxIdsPerFrame;
    expect(readFrameBytes(maxIds)).toBeLessThanOrEqual(maxPayloadBytes);
    expect(readFrameBytes(maxIds + 1)).toBeGreaterThan(maxPayloadBytes);
  });

  it('never allows more than 1,000 ids in a frame, however large frames may be', () => {
    expect(idsPerFrame(1024 * 1024)).toBe(1000);
  });

  it('turns every preference channel on unless the options switch one off', () => {
    expect(new ResolvedOptions().preferences.defaults).toEqual({ inApp: true, push: true, email: true });
    expect(new ResolvedOptions({ preferences: { defaults: { email: false } } }).preferences.defaults).toEqual({
      inApp: true,
      push: true,
      email: false,
    });
  });
});

import { randomUUID } from 'node:crypto';
import { idsPerFrame, ResolvedOptions, REVOCATION_GRACE_MS } from './resolved-options';

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

  it('keeps everything by default: no inbox retention, revocations kept', () => {
    expect(new ResolvedOptions().retention).toEqual({ inboxMs: null, revocationMs: null });
  });

  it('turns retention days into ms, and a maximum token age into how long a revocation is needed', () => {
    const options = new ResolvedOptions({ retention: { days: 30 }, jwt: { secret: 'x', maxTokenAgeSeconds: 3600 } });
    expect(options.retention).toEqual({ inboxMs: 30 * 86_400_000, revocationMs: 3_600_000 + REVOCATION_GRACE_MS });
  });

  it("keeps revocations with a host's own token verifier, whose token ages it cannot know", () => {
    const options = new ResolvedOptions({ jwt: { maxTokenAgeSeconds: 3600 }, tokenVerifier: { verify: () => undefined } });
    expect(options.retention.revocationMs).toBeNull();
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses retention.days %p', (days) => {
    expect(() => new ResolvedOptions({ retention: { days } })).toThrow(/retention.days must be a positive number/);
  });

  it.each([0, 1.5, -60])('refuses jwt.maxTokenAgeSeconds %p', (maxTokenAgeSeconds) => {
    expect(() => new ResolvedOptions({ jwt: { maxTokenAgeSeconds } })).toThrow(/jwt.maxTokenAgeSeconds must be a positive whole number/);
  });
});

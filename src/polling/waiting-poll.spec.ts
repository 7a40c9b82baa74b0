import { Principal } from '../auth/principal';
import { WaitingPoll } from './waiting-poll';

const principal: Principal = { userId: 'ann', scopes: new Set(), expiresAt: Date.now() + 60_000, issuedAt: undefined, claims: {} };

/** Whether the promise has settled by the end of this turn's microtasks. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe(WaitingPoll.name, () => {
  it('wakes for a notification past its cursor only, and not for other frames', async () => {
    const poll = new WaitingPoll(principal, '10');
    expect(poll.transport).toBe('poll');
    const waiting = poll.wokenSince(poll.wakeCount);
    poll.sendNotification(10, '{"event":"notification"}');
    poll.sendOther('{"event":"unread","data":{"count":1}}');
    expect(await settled(waiting)).toBe(false);
    poll.sendNotification(11, '{"event":"notification"}', 10);
    expect(await settled(waiting)).toBe(true);
  });

  it('keeps a wake-up that came while the request was reading', async () => {
    const poll = new WaitingPoll(principal, '0');
    const before = poll.wakeCount;
    // A gap the bus reports counts as well: the database may hold what the bus lost.
    poll.requestCatchUp();
    expect(await settled(poll.wokenSince(before))).toBe(true);
    expect(await settled(poll.wokenSince(poll.wakeCount))).toBe(false);
  });

  it('ends the wait when closed, keeping the code (a revocation, a shutdown)', async () => {
    const poll = new WaitingPoll(principal, '0');
    const waiting = poll.wokenSince(poll.wakeCount);
    poll.close(4403, 'access revoked');
    expect(await settled(waiting)).toBe(true);
    expect([poll.isOpen, poll.closeCode]).toEqual([false, 4403]);
    poll.close(1001, 'later');
    expect(poll.closeCode).toBe(4403);
    expect(await settled(poll.wokenSince(poll.wakeCount))).toBe(true);
  });
});

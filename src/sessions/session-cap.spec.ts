import { DeliveryBus } from '../delivery/delivery-bus';
import { InProcessDeliveryBus } from '../delivery/in-process-delivery-bus';
import { SessionCap } from './session-cap';

describe(SessionCap.name, () => {
  it('admits sessions up to the cap, refuses one more, and admits again after a release', async () => {
    const bus = new InProcessDeliveryBus();
    const cap = new SessionCap(bus, 2);
    const first = await cap.reserve('alice');
    expect(await cap.reserve('alice')).toBeDefined();
    expect(await cap.reserve('alice')).toBeUndefined();
    expect(cap.refusal).toBe('At most 2 sessions per user; close one first');
    expect(await cap.reserve('bob')).toBeDefined();
    first!.release();
    first!.release();
    expect(await bus.sessionCount('alice')).toBe(1);
    expect(await cap.reserve('alice')).toBeDefined();
  });

  it('admits exactly the cap of reservations made at the same moment', async () => {
    const cap = new SessionCap(new InProcessDeliveryBus(), 3);
    const slots = await Promise.all(Array.from({ length: 10 }, () => cap.reserve('alice')));
    expect(slots.filter(Boolean)).toHaveLength(3);
  });

  it('takes reservations in turn on a bus that can only count and register, so the cap holds there too', async () => {
    const inner = new InProcessDeliveryBus();
    // Counting takes a while, as it does over a network.
    const countOnly: DeliveryBus = {
      publish: () => undefined,
      subscribe: () => undefined,
      sessionOpened: (userId) => inner.sessionOpened(userId),
      sessionClosed: (userId) => inner.sessionClosed(userId),
      onlineAmong: (userIds) => inner.onlineAmong(userIds),
      sessionCount: (userId) => new Promise((resolve) => setImmediate(() => resolve(inner.sessionCount(userId)))),
    };
    const cap = new SessionCap(countOnly, 3);
    const slots = await Promise.all(Array.from({ length: 10 }, () => cap.reserve('alice')));
    expect(slots.filter(Boolean)).toHaveLength(3);
    expect(await inner.sessionCount('alice')).toBe(3);
  });
});

import { InProcessDeliveryBus } from '../delivery/in-process-delivery-bus';
import { SessionCap } from './session-cap';

describe(SessionCap.name, () => {
  it('admits sessions up to the cap, refuses one more, and admits again after a close', async () => {
    const bus = new InProcessDeliveryBus();
    const cap = new SessionCap(bus, 2);
    expect(await cap.refusal('alice')).toBeUndefined();
    bus.sessionOpened('alice');
    expect(await cap.refusal('alice')).toBeUndefined();
    bus.sessionOpened('alice');
    expect(await cap.refusal('alice')).toBe('At most 2 sessions per user; close one first');
    expect(await cap.refusal('bob')).toBeUndefined();
    bus.sessionClosed('alice');
    expect(await cap.refusal('alice')).toBeUndefined();
  });
});

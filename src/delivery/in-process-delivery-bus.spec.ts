import { audienceOf, DeliveryMessage } from './delivery-bus';
import { InProcessDeliveryBus } from './in-process-delivery-bus';

describe(InProcessDeliveryBus.name, () => {
  it('hands every message to every subscriber', () => {
    const bus = new InProcessDeliveryBus();
    const received: DeliveryMessage[] = [];
    bus.subscribe((message) => received.push(message));
    bus.publish({ kind: 'unread', userId: 'a', count: 2, unseen: 2 });
    expect(received).toEqual([{ kind: 'unread', userId: 'a', count: 2, unseen: 2 }]);
  });

  it('counts sessions per user for presence', async () => {
    const bus = new InProcessDeliveryBus();
    bus.sessionOpened('a');
    bus.sessionOpened('a');
    bus.sessionOpened('b');
    bus.sessionClosed('a');
    bus.sessionClosed('b');
    expect(await bus.sessionCount('a')).toBe(1);
    expect(await bus.sessionCount('b')).toBe(0);
    expect(await bus.onlineAmong(['a', 'b', 'c'])).toEqual(new Set(['a']));
  });

  it('routes messages by their users', () => {
    expect(audienceOf({ kind: 'unread', userId: 'a', count: 0, unseen: 0 })).toEqual(['a']);
    expect(audienceOf({ kind: 'broadcast', notificationId: 'n' })).toBe('everyone');
  });

  it('counts online users for a broadcast', async () => {
    const bus = new InProcessDeliveryBus();
    bus.sessionOpened('a');
    bus.sessionOpened('a');
    bus.sessionOpened('b');
    expect(await bus.onlineUserCount()).toBe(2);
  });
});

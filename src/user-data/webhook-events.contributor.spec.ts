import { withoutUser } from './webhook-events.contributor';

describe('withoutUser', () => {
  const event = (data: object) => JSON.stringify({ type: 'x', timestamp: '2026-01-01T00:00:00.000Z', data });

  it('drops an event about the user alone', () => {
    expect(withoutUser(event({ userId: 'ana', notificationIds: ['n1'], count: 1 }), 'ana')).toBeNull();
  });

  it("takes the user out of a send's audience and out of its sender, and keeps the rest", () => {
    const redacted = withoutUser(event({ audience: { kind: 'users', userIds: ['ana', 'bob'] }, senderId: 'ana', recipients: 2 }), 'ana');
    expect(JSON.parse(redacted!).data).toEqual({ audience: { kind: 'users', userIds: ['bob'] }, senderId: null, recipients: 2 });
  });

  it("leaves another user's event as it was", () => {
    const payload = event({ userId: 'bob', notificationIds: ['n1'], count: 1 });
    expect(JSON.parse(withoutUser(payload, 'ana')!)).toEqual(JSON.parse(payload));
  });
});

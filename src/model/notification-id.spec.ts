import { newNotificationId } from './notification-id';

describe(newNotificationId.name, () => {
  it('makes UUIDv7s that sort in the order they were made', () => {
    const ids = Array.from({ length: 1000 }, () => newNotificationId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

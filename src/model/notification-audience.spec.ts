import { InvalidNotificationException } from './invalid-notification.exception';
import { resolveAudience } from './notification-audience';

describe(resolveAudience.name, () => {
  it('accepts exactly one audience', () => {
    expect(resolveAudience({ userIds: ['a', 'b', 'a'] })).toEqual({ kind: 'users', userIds: ['a', 'b'] });
    expect(resolveAudience({ topic: 'finance' })).toEqual({ kind: 'topic', topic: 'finance' });
    expect(resolveAudience({ broadcast: true })).toEqual({ kind: 'broadcast' });
    expect(resolveAudience({ userIds: ['a'], broadcast: false })).toEqual({ kind: 'users', userIds: ['a'] });
  });

  it.each([
    [{}, 'got none'],
    [{ userIds: ['a'], topic: 't' }, 'got userIds, topic'],
    [{ userIds: ['a'], topic: 't', broadcast: true }, 'got userIds, topic, broadcast'],
    [{ userIds: [] }, 'at least one user'],
    [{ topic: 'has space' }, 'topic must match'],
  ])('refuses %p, naming the fields', (input, message) => {
    expect(() => resolveAudience(input)).toThrow(InvalidNotificationException);
    expect(() => resolveAudience(input)).toThrow(message);
  });
});

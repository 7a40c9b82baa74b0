import { NotificationView } from '../model/notification.view';
import { MAX_PUSH_PAYLOAD_BYTES, pushPayload, pushTiming } from './web-push-payload';
import { UNTOUCHED_RECIPIENT_FIELDS } from '../../test/support/notification-content';

const base: NotificationView = {
  id: 'n1',
  cursor: '7',
  type: 't',
  title: 'Title',
  body: 'Body',
  data: { k: 1 },
  priority: 'normal',
  topic: null,
  createdAt: '2026-12-05T10:00:00.000Z',
  expiresAt: null,
  ...UNTOUCHED_RECIPIENT_FIELDS,
  critical: false,
  actions: [],
  groupKey: null,
};

describe('pushPayload', () => {
  it('is the Notification JSON when it fits', () => {
    expect(JSON.parse(pushPayload(base))).toEqual(base);
  });

  it('drops data, then shortens the body, when too large for a push message', () => {
    const large = { ...base, body: '€'.repeat(5000), data: { blob: 'x'.repeat(16_000) } };
    const payload = pushPayload(large);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PUSH_PAYLOAD_BYTES);
    const parsed = JSON.parse(payload);
    expect(parsed).toMatchObject({ id: 'n1', title: 'Title', data: null, truncated: true });
    expect(large.body.startsWith(parsed.body)).toBe(true);
  });
});

describe('pushTiming', () => {
  const now = new Date('2026-12-05T10:00:00.000Z');
  it('takes urgency from the priority and TTL by priority', () => {
    expect(pushTiming({ ...base, priority: 'low' }, now)).toEqual({ ttlSeconds: 3600, urgency: 'low' });
    expect(pushTiming({ ...base, priority: 'high' }, now)).toEqual({ ttlSeconds: 345_600, urgency: 'high' });
  });
  it('never keeps a message past the notification expiry', () => {
    expect(pushTiming({ ...base, expiresAt: '2026-12-05T10:05:00.000Z' }, now).ttlSeconds).toBe(300);
    expect(pushTiming({ ...base, expiresAt: '2026-12-05T09:00:00.000Z' }, now).ttlSeconds).toBe(0);
  });
});

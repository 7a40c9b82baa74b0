import { NotificationView } from '../model/notification.view';

/**
 * The most JSON a push message carries: push services take 4096 bytes of encrypted record,
 * of which `aes128gcm` overhead (header, padding delimiter, tag) takes about 100.
 */
export const MAX_PUSH_PAYLOAD_BYTES = 3800;

/** How long a push service keeps a message for an offline browser, by priority (seconds). */
const TTL_BY_PRIORITY = { low: 3600, normal: 86_400, high: 4 * 86_400 } as const;

/**
 * The Notification JSON. One too large for a push message loses its `data`, then as much of
 * its `body` as it must, and carries `truncated: true`: the page fetches the rest by id.
 */
export function pushPayload(notification: NotificationView): string {
  const whole = JSON.stringify(notification);
  if (Buffer.byteLength(whole) <= MAX_PUSH_PAYLOAD_BYTES) return whole;
  const slim = { ...notification, data: null, truncated: true };
  let body = notification.body ?? '';
  for (;;) {
    const json = JSON.stringify({ ...slim, body: body === '' ? null : body });
    if (Buffer.byteLength(json) <= MAX_PUSH_PAYLOAD_BYTES || body === '') return json;
    body = body.slice(0, Math.floor(body.length * 0.8));
  }
}

/** TTL and Urgency (RFC 8030 §5.2, §5.3) from the notification's priority, never past its expiry. */
export function pushTiming(notification: NotificationView, now: Date): { ttlSeconds: number; urgency: 'low' | 'normal' | 'high' } {
  let ttlSeconds: number = TTL_BY_PRIORITY[notification.priority] ?? TTL_BY_PRIORITY.normal;
  if (notification.expiresAt) {
    ttlSeconds = Math.min(ttlSeconds, Math.max(0, Math.floor((Date.parse(notification.expiresAt) - now.getTime()) / 1000)));
  }
  return { ttlSeconds, urgency: notification.priority };
}

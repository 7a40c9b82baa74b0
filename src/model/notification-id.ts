import { v7 as uuidv7 } from 'uuid';

/**
 * A new notification id: a UUIDv7, time first. Tables and indexes keyed by notification id
 * then grow at their end, as the cursor does, instead of dirtying a random B-tree page per
 * send (a random UUIDv4 does); ids also sort roughly by creation time.
 */
export function newNotificationId(): string {
  return uuidv7();
}

/** Any UUID in its text form: every notification id ever made is one (UUIDv4 before UUIDv7). */
export const NOTIFICATION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How much room one id takes in an `ack` or `read` frame: 36 characters, quotes and a comma. */
export const NOTIFICATION_ID_JSON_BYTES = 36 + 3;

/**
 * Whether a client's id can name a notification. Checked where ids come in (frames, routes),
 * so that text no notification id has (a NUL byte, which PostgreSQL cannot even compare) never
 * reaches a statement.
 */
export function isNotificationId(value: unknown): value is string {
  return typeof value === 'string' && NOTIFICATION_ID_PATTERN.test(value);
}

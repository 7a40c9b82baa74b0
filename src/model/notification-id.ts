import { v7 as uuidv7 } from 'uuid';

/**
 * A new notification id: a UUIDv7, time first. Tables and indexes keyed by notification id
 * then grow at their end, as the cursor does, instead of dirtying a random B-tree page per
 * send (a random UUIDv4 does); ids also sort roughly by creation time.
 */
export function newNotificationId(): string {
  return uuidv7();
}

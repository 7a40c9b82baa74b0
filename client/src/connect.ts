import type { ConnectOptions } from './client-options';
import { NotificationClient } from './notification-client';

/** Opens a self-healing connection to the notification server. */
export function connect(options: ConnectOptions): NotificationClient {
  return new NotificationClient(options);
}

// The inbox page's service worker (served as /inbox/sw.js): shows a Web Push message as a
// system notification, and on a click focuses an open inbox tab or opens one.

/** The parts of the service worker global this script uses (the page's types are DOM ones). */
interface WorkerScope {
  addEventListener(type: 'push' | 'notificationclick' | 'install' | 'activate', listener: (event: any) => void): void;
  registration: { showNotification(title: string, options: Record<string, unknown>): Promise<void> };
  clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<Array<{ url: string; focus(): Promise<unknown> }>>;
    openWindow(url: string): Promise<unknown>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  location: { origin: string };
}

const worker = self as unknown as WorkerScope;

worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (event) => {
  // The payload is the Notification JSON; its text is shown as text by the system.
  const notification = event.data ? (event.data.json() as { id: string; title: string; body: string | null }) : undefined;
  if (!notification) return;
  event.waitUntil(
    worker.registration.showNotification(notification.title, {
      body: notification.body ?? '',
      // One system notification per notification, however many times it is pushed.
      tag: notification.id,
      data: { id: notification.id },
    }),
  );
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    worker.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const inbox = windows.find((each) => new URL(each.url).origin === worker.location.origin);
      return inbox ? inbox.focus() : worker.clients.openWindow('/');
    }),
  );
});

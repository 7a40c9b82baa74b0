// "Notify me when this tab is closed": subscribes this browser to Web Push for the signed-in
// user, when the server has Web Push configured and the browser can do it.

const SERVICE_WORKER = '/inbox/sw.js';

/** Shows the button when Web Push can work here, and subscribes on a click. */
export async function offerPush(token: string, button: HTMLButtonElement, say: (message: string) => void): Promise<void> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return;
  const response = await fetch('/push/vapid-public-key', { headers: { authorization: `Bearer ${token}` } });
  // 404: the server has no Web Push; the page works as before.
  if (!response.ok) return;
  const { key } = (await response.json()) as { key: string };
  const registration = await navigator.serviceWorker.register(SERVICE_WORKER);
  const existing = await registration.pushManager.getSubscription();
  show(button, existing !== null && Notification.permission === 'granted');
  button.addEventListener('click', () => void subscribe(token, key, registration, button, say));
}

async function subscribe(
  token: string,
  key: string,
  registration: ServiceWorkerRegistration,
  button: HTMLButtonElement,
  say: (message: string) => void,
): Promise<void> {
  try {
    if ((await Notification.requestPermission()) !== 'granted') {
      say('Notifications are blocked for this page: allow them in the browser to be notified.');
      return;
    }
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const stored = await fetch('/push/subscriptions', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(subscription.toJSON()),
    });
    if (!stored.ok) throw new Error(`the server answered ${stored.status}`);
    show(button, true);
  } catch (error) {
    say(`Could not turn on notifications: ${(error as Error).message}`);
  }
}

function show(button: HTMLButtonElement, subscribed: boolean): void {
  button.hidden = false;
  button.disabled = subscribed;
  button.textContent = subscribed ? 'You will be notified when this tab is closed' : 'Notify me when this tab is closed';
  button.dataset.subscribed = String(subscribed);
}

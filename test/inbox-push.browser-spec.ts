import type { Browser, BrowserContext } from 'playwright-core';
import { generateVAPIDKeys } from 'web-push';
import { launchChromium } from './support/browser';
import { eventually } from './support/eventually';
import { request, send } from './support/http';
import { PushService } from './support/peers/push-service';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';

const SUBJECT = 'mailto:ops@example.test';

// "Notify me when this tab is closed" in real headless Chromium. Chromium's own push service
// is out of reach here, so its PushManager.subscribe answers with a subscription of the test
// push service instead; everything else is real: the page, the service worker, the server.
describe('Inbox page: Web Push in Chromium', () => {
  const vapid = generateVAPIDKeys();
  let push: PushService;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    push = await PushService.start(SUBJECT);
    server = await startServer({
      env: {
        WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        WEB_PUSH_SUBJECT: SUBJECT,
        CHANNEL_POLL_MS: '20',
      },
    });
    browser = await launchChromium();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: server.baseUrl });
  });
  afterEach(() => context.close());
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await push?.close();
  });

  it('subscribes the browser with the VAPID key, and a notification sent after the tab closed is pushed to it', async () => {
    const subscription = push.subscribe();
    // Runs in the page (DOM types are not the test's: hence the casts).
    await context.addInitScript((json) => {
      const page = globalThis as any;
      const calls: unknown[] = [];
      page.__subscribeCalls = calls;
      page.PushManager.prototype.subscribe = async function (options?: { applicationServerKey?: unknown }) {
        const key = options?.applicationServerKey;
        calls.push(typeof key === 'string' ? key : null);
        return { toJSON: () => json };
      };
    }, subscription.json);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/?token=${tokenFor('pat')}`);
    const button = page.locator('#push');
    await button.waitFor();
    expect(await button.textContent()).toBe('Notify me when this tab is closed');
    await button.click();
    await page.locator('#push[data-subscribed="true"]').waitFor();
    expect(await page.evaluate(() => (globalThis as any).__subscribeCalls)).toEqual([vapid.publicKey]);
    await page.close();
    // The tab's session has ended on the server: the user is offline, so the push goes at once.
    await eventually(
      () => request(server.baseUrl, 'GET', '/presence/pat', { token: adminToken() }),
      (response) => response.body.online === false,
    );

    const sent = await send(server.baseUrl, senderToken(), { userIds: ['pat'], title: 'While you were away', body: 'A push' });
    const [message] = await push.waitFor((messages) => messages.some((each) => each.payload.id === sent.body.id));
    expect(message.payload).toMatchObject({ id: sent.body.id, title: 'While you were away', body: 'A push' });
  });

  it('shows a pushed notification from the service worker, once per notification id', async () => {
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/?token=${tokenFor('quinn')}`);
    await page.locator('#push').waitFor();
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((registration) => registration.scopeURL === `${server.baseUrl}/inbox/` && !registration.isDeleted);
        if (ours) resolve(ours.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    const payload = JSON.stringify({ id: 'n-1', title: 'Pushed <b>title</b>', body: 'Body text' });
    for (let index = 0; index < 2; index++) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: server.baseUrl, registrationId: await registrationId, data: payload });
    }
    const shown = await page.waitForFunction(async () => {
      const registration = await (globalThis as any).navigator.serviceWorker.getRegistration('/inbox/');
      const notifications: Array<{ title: string; body: string; tag: string }> = (await registration?.getNotifications()) ?? [];
      return notifications.length > 0 ? notifications.map(({ title, body, tag }) => ({ title, body, tag })) : null;
    });
    expect(await shown.jsonValue()).toEqual([{ title: 'Pushed <b>title</b>', body: 'Body text', tag: 'n-1' }]);
  });
});

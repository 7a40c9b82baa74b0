import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { SessionRegistry } from '../src/sessions/session-registry';
import { bundleForBrowser } from '../server/src/inbox-page/inbox-page-bundle';
import { launchChromium } from './support/browser';
import { eventually } from './support/eventually';
import { send, undeliveredCount } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

/** The client SDK as one browser script that sets `globalThis.NotificationSdk`. */
const bundleSdk = () => bundleForBrowser(join(__dirname, '..', 'client', 'src', 'index.ts'), 'NotificationSdk');

const SCREENSHOTS = join(__dirname, '..', 'docs', 'screenshots');

// The inbox page in real headless Chromium against the real standalone server.
describe('Inbox page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  const sender = senderToken();

  const notify = async (userId: string, title: string, body?: string, type = 'test.event') => {
    const response = await send(server.baseUrl, sender, { userIds: [userId], title, body, type });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  /** Opens a tab as `userId` with `/?token=` and waits for the live connection. */
  const openInbox = async (userId: string, on: BrowserContext = context): Promise<Page> => {
    const page = await on.newPage();
    await page.goto(`${server.baseUrl}/?token=${tokenFor(userId)}`);
    await page.locator('#status[data-state="open"]').waitFor();
    return page;
  };
  const titles = (page: Page) => page.locator('#list .item .title').allTextContents();
  const badge = (page: Page) => page.locator('#badge');
  /** The count comes in a frame after the notification's: Chromium hands the page each in a task of its own. */
  const badgeShows = (page: Page, count: string) => page.locator('#badge', { hasText: new RegExp(`^${count}$`) }).waitFor();

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  });
  afterEach(() => context.close());
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows a live toast on both tabs of the user, and nothing on another user's tab", async () => {
    const [tab, otherTab, stranger] = [await openInbox('alice'), await openInbox('alice'), await openInbox('bob')];
    await notify('alice', 'Expense approved', 'Your claim of 42 EUR was approved.');
    for (const page of [tab, otherTab]) {
      await page.locator('.toast', { hasText: 'Expense approved' }).waitFor();
      expect(await titles(page)).toEqual(['Expense approved']);
      await badgeShows(page, '1');
      expect(await page.title()).toBe('(1) Inbox');
    }
    await notify('bob', 'For bob only');
    await stranger.locator('.toast', { hasText: 'For bob only' }).waitFor();
    expect(await titles(stranger)).toEqual(['For bob only']);
    expect(await stranger.locator('.toast').allTextContents()).toEqual(['For bob only']);
  });

  it("updates the badge on the user's other tab when one tab reads, archives or reads all", async () => {
    for (const title of ['one', 'two', 'three']) await notify('carol', title);
    const [tab, otherTab] = [await openInbox('carol'), await openInbox('carol')];
    await expect(badge(otherTab).textContent()).resolves.toBe('3');
    expect(await titles(tab)).toEqual(['three', 'two', 'one']);

    await tab.locator('.item', { hasText: 'two' }).locator('[data-action="read"]').click();
    await otherTab.locator('#badge', { hasText: '2' }).waitFor();
    await tab.locator('.item', { hasText: 'three' }).locator('[data-action="archive"]').click();
    await otherTab.locator('#badge', { hasText: '1' }).waitFor();
    expect(await titles(tab)).toEqual(['two', 'one']);
    await tab.locator('#read-all').click();
    await otherTab.locator('#badge').waitFor({ state: 'hidden' });
    expect(await otherTab.title()).toBe('Inbox');
  });

  it('pages back with "more": older items follow in order, none twice, until there are no more', async () => {
    // Two full pages of 20 and a last one of 5; "n00" is the oldest.
    const sent = Array.from({ length: 45 }, (_, index) => `n${String(index).padStart(2, '0')}`);
    for (const title of sent) await notify('heidi', title);
    const newestFirst = [...sent].reverse();
    const page = await openInbox('heidi');
    const more = page.locator('#more');
    expect(await titles(page)).toEqual(newestFirst.slice(0, 20));
    await expect(more.isVisible()).resolves.toBe(true);

    // A live arrival between pages goes on top and does not shift the pages below it.
    await notify('heidi', 'live');
    await page.locator('.toast', { hasText: 'live' }).waitFor();
    await more.click();
    await page.locator('#list .item').nth(40).waitFor();
    expect(await titles(page)).toEqual(['live', ...newestFirst.slice(0, 40)]);
    await expect(more.isVisible()).resolves.toBe(true);

    await more.click();
    await more.waitFor({ state: 'hidden' });
    expect(await titles(page)).toEqual(['live', ...newestFirst]);
    await expect(badge(page).textContent()).resolves.toBe('46');
  });

  it('renders markup in a title or body as text, never running it', async () => {
    const page = await openInbox('dave');
    const title = '<img src=x onerror="window.__injected = 1">Invoice';
    const body = '<script>window.__injected = 2</script><b>bold?</b>';
    await notify('dave', title, body);
    await page.locator('.toast').waitFor();
    expect(await titles(page)).toEqual([title]);
    expect(await page.locator('#list .item .body').textContent()).toBe(body);
    expect(await page.locator('.toast strong').textContent()).toBe(title);
    expect(await page.locator('#list img, #list script, #list b, .toast img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
  });

  it('reconnects after the network drops and returns, and shows what was sent meanwhile', async () => {
    const page = await openInbox('erin');
    await notify('erin', 'before the drop');
    await page.locator('.toast', { hasText: 'before the drop' }).waitFor();

    // Offline mode stops new connections but leaves an open WebSocket alone, so the drop of
    // the existing connection is done from the server's side, as a dead network would.
    await context.setOffline(true);
    for (const session of server.app.get(SessionRegistry).ofUser('erin') ?? []) (session.socket as WebSocket).terminate();
    await page.locator('#status[data-state="connecting"]').waitFor();
    await notify('erin', 'while offline 1');
    await notify('erin', 'while offline 2');
    expect(await page.locator('#status').getAttribute('data-state')).toBe('connecting');

    await context.setOffline(false);
    await page.locator('#status[data-state="open"]').waitFor({ timeout: 15000 });
    await page.locator('.toast', { hasText: 'while offline 2' }).waitFor();
    expect(await titles(page)).toEqual(['while offline 2', 'while offline 1', 'before the drop']);
    await expect(badge(page).textContent()).resolves.toBe('3');
  });

  // Chromium hands a page each message in a task of its own: the SDK must batch its acks over
  // time, or a backlog would go out as one frame per message and be closed 1008 for flooding.
  // (The inbox page lists the backlog over REST and resumes after it; this drives the SDK.)
  it('lets the SDK in Chromium drain a backlog of 300 on one session, acknowledging every one', async () => {
    const backlogSender = senderToken('backlog-sender');
    for (let index = 0; index < 300; index += 1) {
      const response = await send(server.baseUrl, backlogSender, { userIds: ['ivan'], title: `queued ${index}` });
      expect(response.status).toBe(201);
    }
    const page = await context.newPage();
    await page.addScriptTag({ content: await bundleSdk() });
    const outcome = await page.evaluate(
      ({ url, token, expected }) =>
        new Promise<{ received: number; closes: number[] }>((resolve) => {
          const sdk = (globalThis as unknown as { NotificationSdk: typeof import('../client/src') }).NotificationSdk;
          const client = sdk.connect({ url, token });
          const closes: number[] = [];
          let received = 0;
          client.on('closed', ({ code }) => void closes.push(code));
          client.on('notification', () => {
            if (++received === expected) setTimeout(() => resolve({ received, closes }), 500);
          });
        }),
      { url: server.baseUrl, token: tokenFor('ivan'), expected: 300 },
    );
    expect(outcome).toEqual({ received: 300, closes: [] });
    await eventually(
      () => undeliveredCount(server.baseUrl, tokenFor('ivan')),
      (count) => count === 0,
    );
  });

  it('receives the stream in EventSource from GET /notifications/stream', async () => {
    const page = await openInbox('frank');
    const token = tokenFor('frank');
    await page.evaluate((accessToken) => {
      const received: Array<{ id: string; title: string }> = [];
      (globalThis as unknown as { __received: typeof received }).__received = received;
      const source = new EventSource(`/notifications/stream?access_token=${encodeURIComponent(accessToken)}`);
      source.addEventListener('notification', (event) => {
        const message = event as unknown as { lastEventId: string; data: string };
        received.push({ id: message.lastEventId, title: JSON.parse(message.data).title });
      });
      return new Promise((resolve) => source.addEventListener('ready', resolve, { once: true }));
    }, token);
    const id = await notify('frank', 'over Server-Sent Events');
    await page.waitForFunction(() => (globalThis as unknown as { __received: unknown[] }).__received.length === 1);
    const [received] = await page.evaluate(
      () => (globalThis as unknown as { __received: Array<{ id: string; title: string }> }).__received,
    );
    expect(received.title).toBe('over Server-Sent Events');
    const inbox = await fetch(`${server.baseUrl}/notifications`, { headers: { authorization: `Bearer ${token}` } });
    const items = ((await inbox.json()) as { items: Array<{ id: string; cursor: string }> }).items;
    expect(received.id).toBe(items.find((item) => item.id === id)!.cursor);
  });

  it('saves screenshots of the page at a wide and a narrow width', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await notify('grace', 'Welcome to your inbox', 'Notifications arrive here live, and wait here while you are away.', 'inbox.welcome');
    await notify('grace', 'Weekly report ready', 'The finance report for week 47 is ready to download.', 'report.ready');
    const readId = await notify('grace', 'Expense approved', 'Your claim of 42 EUR was approved by Sam.', 'expense.approved');
    await fetch(`${server.baseUrl}/notifications/${readId}/read`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenFor('grace')}` },
    });
    const page = await openInbox('grace');
    await notify('grace', 'New comment on "Q4 budget"', 'Ana: Looks good to me, shipping it.', 'comment.created');
    await page.locator('.toast').waitFor();
    // The tabs' counts by type follow the unread frame after a pause.
    await page.locator('[data-tab="type:comment"]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png') });

    const narrow = await browser.newContext({ viewport: { width: 390, height: 760 }, deviceScaleFactor: 2 });
    const phone = await openInbox('grace', narrow);
    await notify('grace', 'Build passed', 'main is green again.', 'ci.build.passed');
    await phone.locator('.toast').waitFor();
    await phone.locator('[data-tab="type:ci"]').waitFor();
    await phone.screenshot({ path: join(SCREENSHOTS, 'inbox-narrow.png') });
    await narrow.close();
    expect(['inbox.png', 'inbox-narrow.png'].every((name) => existsSync(join(SCREENSHOTS, name)))).toBe(true);
  });
});

describe('Inbox page on the development key', () => {
  it("offers a user picker that opens the chosen user's inbox", async () => {
    const browser = await launchChromium();
    const server = await startServer({ env: { JWT_SECRET: '' } }).catch(async (error: unknown) => {
      await browser.close();
      throw error;
    });
    try {
      const page = await browser.newPage();
      await page.goto(server.baseUrl);
      await page.locator('#picker').waitFor();
      await page.locator('button.quick[data-user="alice"]').click();
      await page.locator('#status[data-state="open"]').waitFor();
      expect(await page.locator('#user').textContent()).toBe('alice');
      await page.locator('#send-test').click();
      await page.locator('.toast', { hasText: 'Test notification' }).waitFor();
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

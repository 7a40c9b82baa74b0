import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

const SCREENSHOTS = join(__dirname, '..', 'docs', 'screenshots');
const HOUR_MS = 3_600_000;

// The inbox page's tabs, bell, archive with undo, snooze menu, action buttons and grouped rows,
// in real headless Chromium against the real standalone server.
describe('Inbox page in Chromium: tabs, seen, undo, snooze, actions, groups', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  const sender = senderToken('tabs-sender');

  const notify = async (userId: string, body: Record<string, unknown>) => {
    const response = await send(server.baseUrl, sender, { userIds: [userId], ...body });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const openInbox = async (userId: string, on: BrowserContext = context): Promise<Page> => {
    const page = await on.newPage();
    await page.goto(`${server.baseUrl}/?token=${tokenFor(userId)}`);
    await page.locator('#status[data-state="open"]').waitFor();
    return page;
  };
  const titles = (page: Page) => page.locator('#list .item .title').allTextContents();
  const tabTexts = (page: Page) => page.locator('#tabs .tab').allTextContents();
  const listed = async (userId: string, query = '') =>
    ((await request(server.baseUrl, 'GET', `/notifications${query}`, { token: tokenFor(userId) })).body.items as Array<{ id: string }>).map(
      (item) => item.id,
    );
  const counts = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications/counts', { token: tokenFor(userId) })).body;

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

  it('shows All, Unread, Archived and one tab per type prefix with its count, each listing its own', async () => {
    const user = 'tabs-user';
    await notify(user, { title: 'Approved', type: 'expense.approved' });
    await notify(user, { title: 'Hi there', type: 'chat.message' });
    const read = await notify(user, { title: 'To approve', type: 'expense.submitted' });
    await request(server.baseUrl, 'POST', `/notifications/${read}/read`, { token: tokenFor(user) });
    const page = await openInbox(user);
    await page.locator('#tabs .tab[data-tab="type:expense"]').waitFor();
    expect(await tabTexts(page)).toEqual(['All2', 'Unread2', 'Archived', 'chat1', 'expense1']);

    await page.locator('[data-tab="type:expense"]').click();
    // The All list stays on screen until the tab's own page has loaded: wait for it to go.
    await page.locator('.item', { hasText: 'Hi there' }).waitFor({ state: 'detached' });
    await page.locator('#list .item').nth(1).waitFor();
    expect(await titles(page)).toEqual(['To approve', 'Approved']);
    await notify(user, { title: 'Rejected', type: 'expense.rejected' });
    await notify(user, { title: 'Not here', type: 'chat.message' });
    await page.locator('.item', { hasText: 'Rejected' }).waitFor();
    await page.locator('[data-tab="type:expense"]', { hasText: 'expense2' }).waitFor();
    expect(await titles(page)).toEqual(['Rejected', 'To approve', 'Approved']);

    await page.locator('[data-tab="unread"]').click();
    await page.locator('.item', { hasText: 'Not here' }).waitFor();
    expect(await titles(page)).toEqual(['Not here', 'Rejected', 'Hi there', 'Approved']);
    await page.locator('.item', { hasText: 'Hi there' }).locator('[data-action="read"]').click();
    await page.locator('.item', { hasText: 'Hi there' }).waitFor({ state: 'detached' });

    await page.locator('.item', { hasText: 'Approved' }).locator('[data-action="archive"]').click();
    await page.locator('.item', { hasText: 'Approved' }).waitFor({ state: 'detached' });
    await page.locator('[data-tab="archived"]').click();
    await page.locator('.item', { hasText: 'Approved' }).waitFor();
    expect(await titles(page)).toEqual(['Approved']);
    expect(await page.locator('.item [data-action="unarchive"]').count()).toBe(1);
  });

  it('shows the unseen count on the bell; opening the bell clears it on every tab of the user', async () => {
    const user = 'bell-user';
    await notify(user, { title: 'one', type: 'chat.message' });
    await notify(user, { title: 'two', type: 'chat.message' });
    const [tab, otherTab] = [await openInbox(user), await openInbox(user)];
    await tab.locator('#badge', { hasText: '2' }).waitFor();
    await tab.locator('[data-tab="type:chat"]').click();
    await tab.locator('#bell').click();
    for (const page of [tab, otherTab]) await page.locator('#badge').waitFor({ state: 'hidden' });
    expect(await counts(user)).toMatchObject({ unread: 2, unseen: 0 });
    expect(await tab.title()).toBe('(2) Inbox');

    await notify(user, { title: 'three', type: 'chat.message' });
    await otherTab.locator('#badge', { hasText: '1' }).waitFor();
    await otherTab.locator('[data-tab="archived"]').click();
    await otherTab.locator('#bell').click();
    for (const page of [tab, otherTab]) await page.locator('#badge').waitFor({ state: 'hidden' });
  });

  it('archives with an Undo that unarchives, on this tab and the other', async () => {
    const user = 'undo-user';
    const id = await notify(user, { title: 'Keep me', type: 'chat.message' });
    await notify(user, { title: 'Newer', type: 'chat.message' });
    const [tab, otherTab] = [await openInbox(user), await openInbox(user)];
    await tab.locator('.item', { hasText: 'Keep me' }).locator('[data-action="archive"]').click();
    await tab.locator('.snack', { hasText: 'Archived “Keep me”' }).waitFor();
    expect(await titles(tab)).toEqual(['Newer']);
    await otherTab.locator('.item', { hasText: 'Keep me' }).waitFor({ state: 'detached' });
    expect(await listed(user, '?archived=true')).toEqual([id]);

    await tab.locator('.snack .undo').click();
    await tab.locator('.item', { hasText: 'Keep me' }).waitFor();
    await otherTab.locator('.item', { hasText: 'Keep me' }).waitFor();
    expect(await titles(otherTab)).toEqual(['Newer', 'Keep me']);
    expect(await listed(user, '?archived=true')).toEqual([]);
  });

  it('snoozes from a menu of 1 hour, tomorrow 09:00 and next week; the row leaves the other tab too', async () => {
    const user = 'snooze-user';
    const id = await notify(user, { title: 'Later', type: 'chat.message' });
    await notify(user, { title: 'Now', type: 'chat.message' });
    const page = await openInbox(user);
    await page.locator('.item', { hasText: 'Later' }).locator('[data-action="snooze"]').click();
    const menu = page.locator('.item', { hasText: 'Later' }).locator('.snooze-menu');
    expect(await menu.locator('button').allTextContents()).toEqual(['In 1 hour', 'Tomorrow, 09:00', 'Next week (Monday, 09:00)']);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox-snooze.png') });

    const otherTab = await openInbox(user);
    await otherTab.locator('.item', { hasText: 'Later' }).waitFor();
    const snoozeRequest = page.waitForRequest((sent) => sent.url().endsWith(`/notifications/${id}/snooze`));
    const clickedAt = Date.now();
    await menu.locator('[data-snooze="hour"]').click();
    const until = Date.parse((JSON.parse((await snoozeRequest).postData() ?? '{}') as { until: string }).until);
    expect(Math.abs(until - clickedAt - HOUR_MS)).toBeLessThan(10_000);
    await page.locator('.item', { hasText: 'Later' }).waitFor({ state: 'detached' });
    expect(await titles(page)).toEqual(['Now']);
    expect(await listed(user)).not.toContain(id);
    // The other tab is told by the server's state frame (change snoozed), without a reload.
    await otherTab.locator('.item', { hasText: 'Later' }).waitFor({ state: 'detached' });
    expect(await titles(otherTab)).toEqual(['Now']);
  });

  it('shows action buttons in their style; after one is taken, every tab shows which', async () => {
    const user = 'action-user';
    await notify(user, {
      title: 'Expense of 120.50 to approve',
      type: 'expense.submitted',
      actions: [
        { id: 'approve', label: 'Approve', style: 'primary' },
        { id: 'reject', label: 'Reject', style: 'danger' },
        { id: 'later', label: 'Ask Sam' },
      ],
    });
    const [tab, otherTab] = [await openInbox(user), await openInbox(user)];
    const buttons = tab.locator('.item .choices button');
    expect(await buttons.allTextContents()).toEqual(['Approve', 'Reject', 'Ask Sam']);
    expect(await buttons.evaluateAll((nodes) => nodes.map((node) => node.className))).toEqual([
      'choice primary',
      'choice danger',
      'choice secondary',
    ]);
    await tab.locator('[data-action-id="approve"]').click();
    for (const page of [tab, otherTab]) {
      await page.locator('.item .taken', { hasText: 'You chose: Approve' }).waitFor();
      expect(await page.locator('.item .choices button').count()).toBe(0);
      await page.locator('.item.unread').waitFor({ state: 'detached' });
    }
  });

  it('shows a group as "and N others" and replaces its row when a send of the key arrives', async () => {
    const user = 'group-user';
    await notify(user, { title: 'Older', type: 'chat.message' });
    await notify(user, { title: 'Alice commented', type: 'post.commented', groupKey: 'post-7' });
    const page = await openInbox(user);
    expect(await page.locator('.item .group').count()).toBe(0);
    await notify(user, { title: 'Bob commented', type: 'post.commented', groupKey: 'post-7' });
    await page.locator('.item', { hasText: 'Bob commented' }).locator('.group', { hasText: 'and 1 other' }).waitFor();
    expect(await titles(page)).toEqual(['Bob commented and 1 other', 'Older']);
    await notify(user, { title: 'Carol commented', type: 'post.commented', groupKey: 'post-7' });
    await page.locator('.item .group', { hasText: 'and 2 others' }).waitFor();
    expect(await titles(page)).toEqual(['Carol commented and 2 others', 'Older']);
  });

  it('saves a screenshot of the tabs, actions, a group and the undo toast', async () => {
    const user = 'shots-user';
    await notify(user, { title: 'Weekly report ready', body: 'The finance report for week 47 is ready.', type: 'report.ready' });
    await notify(user, { title: 'Alice commented on "Q4 budget"', type: 'comment.created', groupKey: 'q4' });
    await notify(user, { title: 'Alice and Bob commented on "Q4 budget"', type: 'comment.created', groupKey: 'q4' });
    await notify(user, {
      title: 'Expense of 120.50 EUR to approve',
      body: 'Submitted by Ana for the team dinner.',
      type: 'expense.submitted',
      actions: [
        { id: 'approve', label: 'Approve', style: 'primary' },
        { id: 'reject', label: 'Reject', style: 'danger' },
      ],
    });
    const approved = await notify(user, {
      title: 'Travel request from Sam',
      type: 'expense.travel',
      actions: [{ id: 'approve', label: 'Approve', style: 'primary' }],
    });
    await request(server.baseUrl, 'POST', `/notifications/${approved}/actions/approve`, { token: tokenFor(user) });
    await notify(user, { title: 'Your old draft', type: 'report.draft' });
    const page = await openInbox(user);
    await page.locator('.item', { hasText: 'Your old draft' }).locator('[data-action="archive"]').click();
    await page.locator('.snack').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox-tabs.png') });
    expect(existsSync(join(SCREENSHOTS, 'inbox-tabs.png'))).toBe(true);
  });
});

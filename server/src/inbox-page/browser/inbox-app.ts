// The inbox page's script, bundled with the client SDK for the browser (see inbox-page-bundle.ts).
// The list is the SDK's InboxModel: the page renders it on each change and calls its methods.
import {
  connect,
  InboxModel,
  NotificationsApi,
  NotificationsApiError,
  type Notification,
  type NotificationClient,
} from '../../../../client/src';
import { renderRow } from './inbox-rows';
import { renderTabs, tabsFor, type Tab } from './inbox-tabs';
import { offerUndo, readSubject, showConnection, showCounts, toast, ui } from './page-dom';
import { offerPush } from './push-opt-in';
import { showSignIn, TOKEN_KEY } from './sign-in';

const PAGE_SIZE = 20;
// The unread frames carry the totals; the tabs' counts by type are asked for after a pause.
const COUNTS_DELAY_MS = 150;
const developmentTokens = document.body.dataset.developmentTokens === 'true';

/** The signed-in user's inbox: the model of the chosen tab, and the live connection that keeps it current. */
class Inbox {
  private readonly api: NotificationsApi;
  private readonly model: InboxModel;
  private client: NotificationClient | undefined;
  private tab: Tab | undefined;
  private snoozeMenu: string | undefined;
  private countsTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly token: string) {
    this.api = new NotificationsApi({ url: location.origin, token });
    this.model = new InboxModel({ api: this.api, pageSize: PAGE_SIZE });
  }

  async open(): Promise<void> {
    ui.user.textContent = readSubject(this.token) ?? '';
    ui.inbox.hidden = false;
    ui.readAll.addEventListener('click', () => void this.run(this.model.readAll()));
    ui.more.addEventListener('click', () => void this.run(this.model.loadMore()));
    ui.bell.addEventListener('click', () => {
      window.scrollTo({ top: 0, behavior: 'smooth' });
      void this.run(this.model.markSeenAll());
    });
    if (developmentTokens) {
      ui.sendTest.hidden = false;
      ui.sendTest.addEventListener('click', () => void this.sendTest());
    }
    this.model.on('change', () => this.render());
    if (!(await this.run(this.model.load()))) return;
    // Resume after the newest listed notification: the socket brings only what is newer,
    // now and after every reconnect, and each of those is new to this page.
    const after = this.model.newestCursor ?? '0';
    this.client = connect({ url: location.origin, token: this.token, after, backoffCapMs: 5000 });
    this.model.attach(this.client);
    this.client.on('notification', (notification) => toast(notification));
    this.client.on('unread', () => this.refreshCountsSoon());
    this.client.on('state', (state) => showConnection(state));
    this.client.on('closed', ({ code, retryInMs }) => {
      if (retryInMs === null && code !== 1000) this.fail(code === 4403 ? 'Access was revoked.' : 'The session ended; sign in again.');
    });
    this.client.on('error', (error) => console.warn('[inbox]', error.code, error.message));
    offerPush(this.token, ui.push, (message) => this.fail(message)).catch((error) => console.warn('[inbox] push', error));
  }

  private choose(tab: Tab): void {
    this.tab = tab;
    this.snoozeMenu = undefined;
    this.render();
    void this.run(this.model.setFilter(tab.filter));
  }

  private archive(id: string): void {
    const item = this.model.items.find((held) => held.id === id);
    void this.run(
      this.model
        .archive(id)
        .then(() => offerUndo(`Archived “${item?.title ?? 'notification'}”.`, () => void this.run(this.model.unarchive(id)))),
    );
  }

  private snooze(id: string, until: Date): void {
    this.snoozeMenu = undefined;
    void this.run(this.model.snooze(id, until));
  }

  private takeAction(item: Notification, actionId: string): void {
    const url = item.actions?.find((action) => action.id === actionId)?.url;
    void this.run(this.model.takeAction(item.id, actionId).then(() => url && location.assign(url)));
  }

  private refreshCountsSoon(): void {
    clearTimeout(this.countsTimer);
    this.countsTimer = setTimeout(() => void this.run(this.model.refreshCounts()), COUNTS_DELAY_MS);
  }

  private async sendTest(): Promise<void> {
    const userId = readSubject(this.token);
    const minted = await fetch('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'inbox-page', send: true }),
    });
    if (!minted.ok || !userId) return this.fail('Could not get a sender token.');
    const { token } = (await minted.json()) as { token: string };
    const stamp = new Date().toLocaleTimeString();
    const sent = await fetch('/notifications', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        userIds: [userId],
        type: 'inbox.test',
        title: `Test notification ${stamp}`,
        body: 'Sent from the inbox page.',
      }),
    });
    if (!sent.ok) this.fail(`The server answered ${sent.status}.`);
  }

  /** Waits for a call of the model; on failure shows why and resolves false. */
  private run(call: Promise<unknown>): Promise<boolean> {
    return call.then(
      () => {
        ui.error.hidden = true;
        return true;
      },
      (error: unknown) => {
        if (!(error instanceof NotificationsApiError)) this.fail('The server cannot be reached; try again in a moment.');
        else if (error.status === 401) {
          sessionStorage.removeItem(TOKEN_KEY);
          this.fail('Your token is no longer valid; open the page with a fresh one.');
        } else if (error.status === 409) this.fail('Another choice was already made for this notification.');
        else this.fail(`The server answered ${error.status}.`);
        return false;
      },
    );
  }

  private fail(message: string): void {
    ui.error.textContent = message;
    ui.error.hidden = false;
  }

  private render(): void {
    const model = this.model;
    const tabs = tabsFor(model.unreadCount, model.unreadByType, this.tab);
    this.tab = tabs.find((tab) => tab.key === (this.tab?.key ?? 'all'));
    renderTabs(tabs, this.tab?.key ?? 'all', (tab) => this.choose(tab));
    showCounts(model.unreadCount, model.unseenCount);
    const handlers = {
      read: (id: string) => void this.run(model.markRead(id)),
      archive: (id: string) => this.archive(id),
      unarchive: (id: string) => void this.run(model.unarchive(id)),
      snooze: (id: string, until: Date) => this.snooze(id, until),
      takeAction: (item: Notification, actionId: string) => this.takeAction(item, actionId),
      toggleSnoozeMenu: (id: string) => {
        this.snoozeMenu = this.snoozeMenu === id ? undefined : id;
        this.render();
      },
    };
    ui.list.replaceChildren(...model.items.map((item) => renderRow(item, handlers, item.id === this.snoozeMenu)));
    ui.empty.hidden = model.items.length > 0;
    ui.more.hidden = !model.hasMore;
    const unreadListed = model.items.filter((item) => !item.readAt).length;
    ui.summary.textContent = `${model.items.length} shown, ${unreadListed} unread`;
  }
}

function start(): void {
  const query = new URLSearchParams(location.search);
  const fromUrl = query.get('token');
  if (fromUrl) {
    // Keep the token out of the address bar, history and screenshots; the tab remembers it.
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    query.delete('token');
    const rest = query.toString();
    history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : ''));
  }
  const openInbox = (token: string) => void new Inbox(token).open();
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) openInbox(token);
  else showSignIn(developmentTokens, openInbox);
}

start();

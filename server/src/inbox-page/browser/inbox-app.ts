// The inbox page's script, bundled with the client SDK for the browser (see inbox-page-bundle.ts).
// Every piece of notification text goes into the page with textContent, never as markup.
import { connect, type Notification, type NotificationClient } from '../../../../client/src';
import { offerPush } from './push-opt-in';

const TOKEN_KEY = 'inbox.token';
const PAGE_SIZE = 20;
const TOAST_MS = 6000;
const MAX_TOASTS = 3;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  user: byId('user'),
  status: byId('status'),
  bell: byId<HTMLButtonElement>('bell'),
  badge: byId('badge'),
  signIn: byId('sign-in'),
  signInHelp: byId('sign-in-help'),
  picker: byId<HTMLFormElement>('picker'),
  pickerUser: byId<HTMLInputElement>('picker-user'),
  inbox: byId('inbox'),
  summary: byId('summary'),
  sendTest: byId<HTMLButtonElement>('send-test'),
  push: byId<HTMLButtonElement>('push'),
  readAll: byId<HTMLButtonElement>('read-all'),
  error: byId('error'),
  list: byId<HTMLUListElement>('list'),
  empty: byId('empty'),
  more: byId<HTMLButtonElement>('more'),
  toasts: byId('toasts'),
};
const developmentTokens = document.body.dataset.developmentTokens === 'true';

/** The signed-in user's inbox: what is listed, and the live connection that keeps it current. */
class Inbox {
  private readonly items = new Map<string, Notification>();
  private nextCursor: string | null = null;
  private client: NotificationClient | undefined;

  constructor(private readonly token: string) {}

  async open(): Promise<void> {
    ui.user.textContent = readSubject(this.token) ?? '';
    ui.inbox.hidden = false;
    ui.readAll.addEventListener('click', () => void this.readAll());
    ui.more.addEventListener('click', () => void this.loadOlder());
    ui.bell.addEventListener('click', () => window.scrollTo({ top: 0, behavior: 'smooth' }));
    if (developmentTokens) {
      ui.sendTest.hidden = false;
      ui.sendTest.addEventListener('click', () => void this.sendTest());
    }
    const page = await this.api<{ items: Notification[]; nextCursor: string | null }>('GET', `/notifications?limit=${PAGE_SIZE}`);
    if (!page) return;
    for (const item of page.items) this.items.set(item.id, item);
    this.nextCursor = page.nextCursor;
    this.render();
    // Resume after the newest listed notification: the socket brings only what is newer,
    // now and after every reconnect, and each of those is new to this page.
    this.client = connect({ url: location.origin, token: this.token, after: page.items[0]?.cursor ?? '0', backoffCapMs: 5000 });
    this.client.on('notification', (notification) => {
      this.items.set(notification.id, notification);
      this.render();
      toast(notification);
    });
    this.client.on('unread', ({ count }) => showUnread(count));
    this.client.on('state', (state) => showState(state));
    this.client.on('closed', ({ code, retryInMs }) => {
      if (retryInMs === null && code !== 1000) this.fail(code === 4403 ? 'Access was revoked.' : 'The session ended; sign in again.');
    });
    this.client.on('error', (error) => console.warn('[inbox]', error.code, error.message));
    offerPush(this.token, ui.push, (message) => this.fail(message)).catch((error) => console.warn('[inbox] push', error));
  }

  private async readOne(id: string): Promise<void> {
    if ((await this.api('POST', `/notifications/${encodeURIComponent(id)}/read`)) === undefined) return;
    const item = this.items.get(id);
    if (item) item.readAt = new Date().toISOString();
    this.render();
  }

  private async archive(id: string): Promise<void> {
    if ((await this.api('DELETE', `/notifications/${encodeURIComponent(id)}`)) === undefined) return;
    this.items.delete(id);
    this.render();
  }

  private async readAll(): Promise<void> {
    if ((await this.api('POST', '/notifications/read-all')) === undefined) return;
    const now = new Date().toISOString();
    for (const item of this.items.values()) item.readAt ??= now;
    this.render();
  }

  private async loadOlder(): Promise<void> {
    if (this.nextCursor === null) return;
    const path = `/notifications?limit=${PAGE_SIZE}&before=${this.nextCursor}`;
    const page = await this.api<{ items: Notification[]; nextCursor: string | null }>('GET', path);
    if (!page) return;
    for (const item of page.items) this.items.set(item.id, item);
    this.nextCursor = page.nextCursor;
    this.render();
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
    await this.api(
      'POST',
      '/notifications',
      { userIds: [userId], type: 'inbox.test', title: `Test notification ${stamp}`, body: 'Sent from the inbox page.' },
      token,
    );
  }

  /** Calls the REST API; on failure shows why and returns undefined. 204 resolves to null. */
  private async api<T>(method: string, path: string, body?: unknown, token = this.token): Promise<T | null | undefined> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      this.fail('The server cannot be reached; try again in a moment.');
      return undefined;
    }
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      this.fail('Your token is no longer valid; open the page with a fresh one.');
      return undefined;
    }
    if (!response.ok) {
      this.fail(`The server answered ${response.status}.`);
      return undefined;
    }
    ui.error.hidden = true;
    return response.status === 204 ? null : ((await response.json()) as T);
  }

  private fail(message: string): void {
    ui.error.textContent = message;
    ui.error.hidden = false;
  }

  /** Redraws the list, newest first (cursors are the user's delivery order). */
  private render(): void {
    const items = [...this.items.values()].sort((a, b) => Number(b.cursor) - Number(a.cursor));
    ui.list.replaceChildren(...items.map((item) => this.renderItem(item)));
    ui.empty.hidden = items.length > 0;
    ui.more.hidden = this.nextCursor === null;
    const unreadListed = items.filter((item) => !item.readAt).length;
    ui.summary.textContent = `${items.length} shown, ${unreadListed} unread`;
  }

  private renderItem(item: Notification): HTMLLIElement {
    const row = element('li', item.readAt ? 'item' : 'item unread');
    row.dataset.id = item.id;
    row.append(element('div', 'title', item.title));
    if (item.body) row.append(element('div', 'body', item.body));
    const time = element('time', '', new Date(item.createdAt).toLocaleString());
    time.dateTime = item.createdAt;
    const meta = element('div', 'meta', `${item.type} · `);
    meta.append(time);
    row.append(meta);
    const actions = element('div', 'actions');
    if (!item.readAt) actions.append(button('Mark read', 'read', () => void this.readOne(item.id)));
    actions.append(button('Archive', 'archive', () => void this.archive(item.id)));
    row.append(actions);
    return row;
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label: string, action: string, onClick: () => void): HTMLButtonElement {
  const node = element('button', 'link', label);
  node.type = 'button';
  node.dataset.action = action;
  node.addEventListener('click', onClick);
  return node;
}

function showUnread(count: number): void {
  ui.badge.textContent = count > 99 ? '99+' : String(count);
  ui.badge.hidden = count === 0;
  ui.bell.setAttribute('aria-label', `Unread notifications: ${count}`);
  document.title = count > 0 ? `(${count}) Inbox` : 'Inbox';
}

function showState(state: string): void {
  ui.status.dataset.state = state;
  ui.status.textContent = state === 'open' ? 'live' : state;
}

function toast(notification: Notification): void {
  const node = element('div', 'toast');
  node.append(element('strong', '', notification.title));
  if (notification.body) node.append(element('span', '', notification.body.slice(0, 140)));
  node.addEventListener('click', () => node.remove());
  ui.toasts.append(node);
  while (ui.toasts.children.length > MAX_TOASTS) ui.toasts.firstElementChild?.remove();
  setTimeout(() => node.remove(), TOAST_MS);
}

/** The token's `sub`, for display only (the server verifies the token). */
function readSubject(token: string): string | undefined {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined; // Not a JWT the page can read; the server will refuse it with 401.
  }
}

function showSignIn(): void {
  ui.signIn.hidden = false;
  showState('closed');
  if (!developmentTokens) return;
  ui.signInHelp.textContent = 'Pick a user: the server runs on its development key and mints a token for the demo.';
  ui.picker.hidden = false;
  const openAs = async (userId: string) => {
    const response = await fetch('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    if (!response.ok) {
      ui.signInHelp.textContent = `Could not open ${userId}: the server answered ${response.status}.`;
      return;
    }
    const { token } = (await response.json()) as { token: string };
    sessionStorage.setItem(TOKEN_KEY, token);
    ui.signIn.hidden = true;
    void new Inbox(token).open();
  };
  ui.picker.addEventListener('submit', (event) => {
    event.preventDefault();
    void openAs(ui.pickerUser.value.trim());
  });
  ui.picker.querySelectorAll<HTMLButtonElement>('button.quick').forEach((quick) => {
    quick.addEventListener('click', () => void openAs(quick.dataset.user ?? ''));
  });
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
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) void new Inbox(token).open();
  else showSignIn();
}

start();

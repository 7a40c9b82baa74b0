// The inbox page's elements and small DOM helpers. Every piece of notification text goes into
// the page with textContent, never as markup.
import type { Notification } from '../../../../client/src';

const TOAST_MS = 6000;
const MAX_TOASTS = 3;
const UNDO_MS = 8000;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The page's fixed elements (inbox-page.html.ts). */
export const ui = {
  user: byId('user'),
  status: byId('status'),
  bell: byId<HTMLButtonElement>('bell'),
  badge: byId('badge'),
  signIn: byId('sign-in'),
  signInHelp: byId('sign-in-help'),
  picker: byId<HTMLFormElement>('picker'),
  pickerUser: byId<HTMLInputElement>('picker-user'),
  inbox: byId('inbox'),
  tabs: byId('tabs'),
  summary: byId('summary'),
  sendTest: byId<HTMLButtonElement>('send-test'),
  push: byId<HTMLButtonElement>('push'),
  readAll: byId<HTMLButtonElement>('read-all'),
  error: byId('error'),
  list: byId<HTMLUListElement>('list'),
  empty: byId('empty'),
  more: byId<HTMLButtonElement>('more'),
  toasts: byId('toasts'),
  snackbar: byId('snackbar'),
};

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const node = element('button', className, label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

/** The bell's badge: the unseen count (opening the bell clears it); the tab title keeps the unread. */
export function showCounts(unread: number, unseen: number): void {
  ui.badge.textContent = unseen > 99 ? '99+' : String(unseen);
  ui.badge.hidden = unseen === 0;
  ui.bell.setAttribute('aria-label', `Notifications: ${unseen} new, ${unread} unread`);
  document.title = unread > 0 ? `(${unread}) Inbox` : 'Inbox';
}

export function showConnection(state: string): void {
  ui.status.dataset.state = state;
  ui.status.textContent = state === 'open' ? 'live' : state;
}

export function toast(notification: Notification): void {
  const node = element('div', 'toast');
  node.append(element('strong', '', notification.title));
  if (notification.body) node.append(element('span', '', notification.body.slice(0, 140)));
  node.addEventListener('click', () => node.remove());
  ui.toasts.append(node);
  while (ui.toasts.children.length > MAX_TOASTS) ui.toasts.firstElementChild?.remove();
  setTimeout(() => node.remove(), TOAST_MS);
}

/** A message with an Undo button, replacing any earlier one; gone after a few seconds or once undone. */
export function offerUndo(message: string, undo: () => void): void {
  const node = element('div', 'snack', message);
  node.append(
    button('Undo', 'link undo', () => {
      node.remove();
      undo();
    }),
  );
  ui.snackbar.replaceChildren(node);
  setTimeout(() => node.remove(), UNDO_MS);
}

/** The token's `sub`, for display only (the server verifies the token). */
export function readSubject(token: string): string | undefined {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined; // Not a JWT the page can read; the server will refuse it with 401.
  }
}

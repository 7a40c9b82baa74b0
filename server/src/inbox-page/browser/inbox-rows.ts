// One row of the inbox list: the notification, its group, its action buttons and its controls.
import type { Notification } from '../../../../client/src';
import { button, element } from './page-dom';
import { snoozeChoices } from './snooze-times';

/** What a row's buttons do; the page passes the model's methods. */
export interface RowHandlers {
  read(id: string): void;
  archive(id: string): void;
  unarchive(id: string): void;
  snooze(id: string, until: Date): void;
  takeAction(notification: Notification, actionId: string): void;
  toggleSnoozeMenu(id: string): void;
}

export function renderRow(item: Notification, handlers: RowHandlers, snoozeMenuOpen: boolean): HTMLLIElement {
  const row = element('li', item.readAt ? 'item' : 'item unread');
  row.dataset.id = item.id;
  const title = element('div', 'title', item.title);
  const others = (item.groupCount ?? 1) - 1;
  if (others > 0) title.append(element('span', 'group', ` and ${others} ${others === 1 ? 'other' : 'others'}`));
  row.append(title);
  if (item.body) row.append(element('div', 'body', item.body));
  const time = element('time', '', new Date(item.createdAt).toLocaleString());
  time.dateTime = item.createdAt;
  const meta = element('div', 'meta', `${item.type} · `);
  meta.append(time);
  row.append(meta);
  if (item.actions?.length) row.append(renderActions(item, handlers));
  row.append(renderControls(item, handlers, snoozeMenuOpen));
  return row;
}

/** The notification's own buttons; once one was taken, which one, and no more buttons. */
function renderActions(item: Notification, handlers: RowHandlers): HTMLElement {
  const box = element('div', 'choices');
  const taken = item.actions?.find((action) => action.id === item.actionId);
  if (item.actionId) {
    box.append(element('span', 'taken', `You chose: ${taken?.label ?? item.actionId}`));
    return box;
  }
  for (const action of item.actions ?? []) {
    const node = button(action.label, `choice ${action.style}`, () => handlers.takeAction(item, action.id));
    node.dataset.actionId = action.id;
    box.append(node);
  }
  return box;
}

function renderControls(item: Notification, handlers: RowHandlers, snoozeMenuOpen: boolean): HTMLElement {
  const controls = element('div', 'actions');
  const control = (label: string, action: string, onClick: () => void) => {
    const node = button(label, 'link', onClick);
    node.dataset.action = action;
    controls.append(node);
  };
  if (item.archivedAt) {
    control('Unarchive', 'unarchive', () => handlers.unarchive(item.id));
    return controls;
  }
  if (!item.readAt) control('Mark read', 'read', () => handlers.read(item.id));
  control('Snooze', 'snooze', () => handlers.toggleSnoozeMenu(item.id));
  control('Archive', 'archive', () => handlers.archive(item.id));
  if (snoozeMenuOpen) {
    const menu = element('div', 'snooze-menu');
    menu.setAttribute('role', 'menu');
    for (const choice of snoozeChoices(new Date())) {
      const node = button(choice.label, 'link', () => handlers.snooze(item.id, choice.until));
      node.dataset.snooze = choice.key;
      node.setAttribute('role', 'menuitem');
      menu.append(node);
    }
    controls.append(menu);
  }
  return controls;
}

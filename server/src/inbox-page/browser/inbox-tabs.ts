// The tabs over the list: All, Unread, Archived, and one per type prefix with unread ones.
import type { InboxFilter } from '../../../../client/src';
import { button, ui } from './page-dom';

/** A tab: its key (as in `data-tab`), label, filter, and the count it shows (none for Archived). */
export interface Tab {
  key: string;
  label: string;
  filter: InboxFilter;
  count?: number;
}

/**
 * The tabs for these counts. A type's prefix is the text before its first dot; its tab lists
 * `prefix.*` (a type without a dot gets a tab of its own, listed by the exact type). The tab
 * shown keeps its place while its count drops to 0.
 */
export function tabsFor(unread: number, byType: Readonly<Record<string, number>>, current: Tab | undefined): Tab[] {
  const prefixes = new Map<string, Tab>();
  for (const [type, count] of Object.entries(byType)) {
    const dot = type.indexOf('.');
    const prefix = dot === -1 ? type : type.slice(0, dot);
    const key = `type:${prefix}`;
    const tab = prefixes.get(key) ?? { key, label: prefix, filter: { type: dot === -1 ? type : `${prefix}.*` }, count: 0 };
    tab.count = (tab.count ?? 0) + count;
    prefixes.set(key, tab);
  }
  if (current?.key.startsWith('type:') && !prefixes.has(current.key)) prefixes.set(current.key, { ...current, count: 0 });
  const byLabel = [...prefixes.values()].sort((a, b) => a.label.localeCompare(b.label));
  return [
    { key: 'all', label: 'All', filter: 'all', count: unread },
    { key: 'unread', label: 'Unread', filter: 'unread', count: unread },
    { key: 'archived', label: 'Archived', filter: 'archived' },
    ...byLabel,
  ];
}

export function renderTabs(tabs: Tab[], currentKey: string, choose: (tab: Tab) => void): void {
  ui.tabs.replaceChildren(
    ...tabs.map((tab) => {
      const node = button(tab.label, tab.key === currentKey ? 'tab current' : 'tab', () => choose(tab));
      node.dataset.tab = tab.key;
      node.setAttribute('role', 'tab');
      node.setAttribute('aria-selected', String(tab.key === currentKey));
      if (tab.count !== undefined) {
        const count = document.createElement('span');
        count.className = 'count';
        count.textContent = String(tab.count);
        node.append(count);
      }
      return node;
    }),
  );
}

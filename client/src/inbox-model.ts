import {
  applyStateChange,
  compareCursors,
  insertByCursor,
  listOptionsOf,
  matchesFilter,
  mayBringIn,
  type InboxFilter,
} from './inbox-filter';
import type { InboxModelChange, InboxModelOptions } from './inbox-model-options';
import type { NotificationClient } from './notification-client';
import type { NotificationsApi } from './notifications-api';
import { TypedEmitter } from './typed-emitter';
import type { InboxStatePayload, Notification, StateChange } from './types';

// Notifications that left the list (archived, read on the unread tab, snoozed), kept so that an undo
// or a frame that brings one back can show it again without a request.
const DROPPED_KEPT = 500;

/**
 * A local copy of one list of the user's inbox (a filter's first pages, newest first) and
 * the counts, kept in step with the server by the client's live frames. It emits `change`
 * once per update; a UI re-renders from `items`, `unreadCount` and `unseenCount`.
 */
export class InboxModel extends TypedEmitter<{ change: InboxModelChange }> {
  private readonly api: NotificationsApi;
  private readonly pageSize: number;
  private readonly dropped = new Map<string, Notification>();
  private readonly unsubscribe: Array<() => void> = [];
  private list: Notification[] = [];
  private listFilter: InboxFilter;
  private next: string | null = null;
  private unread = 0;
  private unseen = 0;
  private types: Record<string, number> = {};
  // Bumped by each unread frame: a counts answer asked for before one is older than it.
  private liveCounts = 0;
  private loads = 0;
  private framesDuringLoad: Array<() => void> | undefined;
  private muted = false;

  constructor(options: InboxModelOptions) {
    super();
    this.api = options.api;
    this.listFilter = options.filter ?? 'all';
    this.pageSize = options.pageSize ?? 20;
    if (options.client) this.attach(options.client);
  }

  /** The listed notifications, newest first. Replaced (never mutated) on each change. */
  get items(): readonly Notification[] {
    return this.list;
  }

  get filter(): InboxFilter {
    return this.listFilter;
  }
  /** Whether older notifications remain to {@link loadMore}. */
  get hasMore(): boolean {
    return this.next !== null;
  }

  get unreadCount(): number {
    return this.unread;
  }

  get unseenCount(): number {
    return this.unseen;
  }

  /** The unread by type, as of the last {@link load} or {@link refreshCounts}. */
  get unreadByType(): Readonly<Record<string, number>> {
    return this.types;
  }

  /** The newest listed cursor: pass it as `after` to a client connected after {@link load}. */
  get newestCursor(): string | undefined {
    return this.list[0]?.cursor;
  }

  /**
   * Follows `client`: new notifications, `state` frames, counts. On each later `ready` (a
   * reconnect) the first pages are listed again, as the frames sent meanwhile are not replayed.
   */
  attach(client: NotificationClient): void {
    if (client.unreadCount !== undefined) [this.unread, this.unseen] = [client.unreadCount, client.unseenCount ?? this.unseen];
    let firstReady = client.state !== 'open';
    this.unsubscribe.push(
      client.on('notification', (notification) => this.live(() => this.receive(notification))),
      client.on('inboxState', (state) => this.live(() => this.applyState(state, 'state'))),
      client.on('unread', ({ count, unseen }) =>
        this.live(() => {
          [this.unread, this.unseen] = [count, unseen ?? this.unseen];
          this.liveCounts++;
          this.emitChange('counts');
        }),
      ),
      client.on('ready', () => {
        if (!firstReady) void this.reload().catch(() => undefined);
        firstReady = false;
      }),
    );
  }

  /** Stops following the client. */
  detach(): void {
    this.unsubscribe.splice(0).forEach((off) => off());
  }

  /** Lists the first page of the filter (and the counts); what was listed before is replaced. */
  load(): Promise<void> {
    return this.listFirst(this.pageSize, true);
  }

  /** Asks for the counts again, with the unread by type; an unread frame's totals that come meanwhile are newer. */
  async refreshCounts(): Promise<void> {
    const framesBefore = this.liveCounts;
    const counts = await this.api.counts();
    if (framesBefore === this.liveCounts) [this.unread, this.unseen] = [counts.unread, counts.unseen];
    this.types = counts.byType;
    this.emitChange('counts');
  }

  /** Switches to another filter and lists its first page. */
  setFilter(filter: InboxFilter): Promise<void> {
    this.listFilter = filter;
    this.list = [];
    this.next = null;
    return this.load();
  }

  /** Lists the next older page. */
  async loadMore(): Promise<void> {
    if (this.next === null) return;
    const load = this.loads;
    const page = await this.api.list({ ...listOptionsOf(this.listFilter), limit: this.pageSize, before: this.next });
    if (load !== this.loads) return;
    const held = new Set(this.list.map((item) => item.id));
    this.list = [...this.list, ...page.items.filter((item) => !held.has(item.id))];
    this.next = page.nextCursor;
    this.emitChange('more');
  }

  /** Lists again as many as are listed (up to 100), for a change the frames cannot tell. */
  reload(): Promise<void> {
    return this.listFirst(Math.min(100, Math.max(this.pageSize, this.list.length)), false);
  }

  private async listFirst(limit: number, withCounts: boolean): Promise<void> {
    const load = ++this.loads;
    // Frames that come while the page is asked for are applied again to it: it may predate them.
    const frames: Array<() => void> = (this.framesDuringLoad = []);
    const [page, counts] = await Promise.all([
      this.api.list({ ...listOptionsOf(this.listFilter), limit }),
      withCounts ? this.api.counts() : undefined,
    ]);
    if (load !== this.loads) return; // A later load (another filter) superseded this one.
    this.framesDuringLoad = undefined;
    [this.list, this.next] = [page.items, page.nextCursor];
    if (counts) [this.unread, this.unseen, this.types] = [counts.unread, counts.unseen, counts.byType];
    this.muted = true;
    frames.forEach((apply) => apply());
    this.muted = false;
    this.emitChange('load');
  }

  /** Archives one: gone from the list at once, back if the server refuses. */
  archive(id: string): Promise<void> {
    return this.optimistic([id], 'archived', 'unarchived', () => this.api.archive(id));
  }

  /** Brings an archived one back (the undo of {@link archive}). */
  unarchive(id: string): Promise<void> {
    return this.optimistic([id], 'unarchived', 'archived', () => this.api.unarchive(id));
  }

  /** Marks one read at once; unread again if the server refuses. */
  markRead(id: string): Promise<void> {
    return this.optimistic([id], 'read', 'unread', () => this.api.markRead(id));
  }

  /** Marks every one read at once; lists again if the server refuses. */
  async readAll(): Promise<void> {
    this.applyState({ ids: 'all', change: 'read', at: new Date().toISOString() }, 'local');
    await this.api.readAll().catch((error: unknown) => this.recover(error));
  }

  /** The bell was opened: every one seen, the unseen count 0 at once. */
  async markSeenAll(): Promise<void> {
    if (this.unseen === 0 && this.list.every((item) => item.seenAt || item.readAt)) return;
    const unseen = this.unseen;
    this.unseen = 0;
    this.applyState({ ids: 'all', change: 'seen', at: new Date().toISOString() }, 'local');
    this.emitChange('counts');
    await this.api.markSeen('all').catch((error: unknown) => {
      this.unseen = unseen;
      return this.recover(error);
    });
  }

  /** Snoozes one until `until`: gone from the list at once (it comes back as a new notification). */
  async snooze(id: string, until: string | Date): Promise<void> {
    const item = this.list.find((held) => held.id === id);
    this.remove(id);
    if (item) this.emitChange('local');
    try {
      await this.api.snooze(id, until);
    } catch (error) {
      if (item) this.list = insertByCursor(this.list, item);
      this.emitChange('local');
      throw error;
    }
  }

  /** Takes an action; applied when the server answers (it may refuse with 409: another was taken). */
  async takeAction(id: string, actionId: string): Promise<void> {
    const taken = await this.api.takeAction(id, actionId);
    this.applyState({ ids: [id], change: 'actioned', at: taken.actionedAt, actionId: taken.actionId }, 'local');
  }

  private async optimistic(ids: string[], change: StateChange, undo: StateChange, call: () => Promise<void>): Promise<void> {
    const before = new Map(ids.map((id) => [id, this.find(id)]));
    this.applyState({ ids, change, at: new Date().toISOString() }, 'local');
    try {
      await call();
    } catch (error) {
      // Only what this call changed goes back.
      const changed = ids.filter((id) => before.get(id) !== this.find(id));
      if (changed.length > 0) this.applyState({ ids: changed, change: undo, at: new Date().toISOString() }, 'local');
      throw error;
    }
  }

  private async recover(error: unknown): Promise<never> {
    await this.load().catch(() => undefined);
    throw error;
  }

  private receive(notification: Notification): void {
    if (notification.replaces) this.remove(notification.replaces);
    this.dropped.delete(notification.replaces ?? '');
    const held = this.find(notification.id);
    // A redelivery repeats the cursor; a notification back from a snooze has a higher one.
    if (held && compareCursors(notification.cursor, held.cursor) <= 0) return;
    this.remove(notification.id);
    this.dropped.delete(notification.id);
    this.place(notification);
    this.emitChange('notification');
  }

  private applyState(state: InboxStatePayload, cause: InboxModelChange['cause']): void {
    const ids = state.ids === 'all' ? [...this.list.map((item) => item.id), ...this.dropped.keys()] : state.ids;
    let changed = false;
    let unknown = state.ids === 'all';
    for (const id of ids) {
      const current = this.find(id);
      if (!current) {
        unknown = true;
        continue;
      }
      const next = applyStateChange(current, state);
      if (next === current) continue;
      changed = true;
      this.remove(id);
      this.dropped.delete(id);
      this.place(next);
    }
    if (changed) this.emitChange(cause);
    // A notification this model never held may now belong in the list: list again.
    if (unknown && cause === 'state' && mayBringIn(this.listFilter, state.change)) void this.reload().catch(() => undefined);
  }

  /** Puts a notification in the list if the filter takes it (and it is within the listed pages), else among the dropped. */
  private place(notification: Notification): void {
    const oldest = this.list[this.list.length - 1];
    const beyond = this.next !== null && oldest !== undefined && compareCursors(notification.cursor, oldest.cursor) < 0;
    if (matchesFilter(this.listFilter, notification) && !beyond) return void (this.list = insertByCursor(this.list, notification));
    this.dropped.set(notification.id, notification);
    if (this.dropped.size > DROPPED_KEPT) this.dropped.delete(this.dropped.keys().next().value as string);
  }

  private remove(id: string): void {
    if (this.list.some((item) => item.id === id)) this.list = this.list.filter((item) => item.id !== id);
  }

  private find(id: string): Notification | undefined {
    return this.list.find((item) => item.id === id) ?? this.dropped.get(id);
  }

  private live(apply: () => void): void {
    apply();
    this.framesDuringLoad?.push(apply);
  }

  private emitChange(cause: InboxModelChange['cause']): void {
    if (!this.muted) this.dispatch('change', { cause });
  }
}

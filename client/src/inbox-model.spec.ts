import type { ListOptions } from './api-types';
import type { InboxFilter } from './inbox-filter';
import { InboxModel } from './inbox-model';
import { NotificationsApiError, type NotificationsApi } from './notifications-api';
import { connectFake, settle } from './testing/connect-fake';
import { FakeWebSocket } from './testing/fake-web-socket';
import { notification } from './testing/notifications';
import type { Notification } from './types';

/**
 * The server's inbox for the model's REST calls: the model's input, as the fake socket is for
 * its frames. It answers lists from `inbox` (newest first) and records the calls.
 */
function fakeApi(inbox: Notification[]) {
  const calls: string[] = [];
  let refuse = false;
  const call = async (name: string) => {
    calls.push(name);
    if (refuse) throw new NotificationsApiError(500, { message: 'down' });
  };
  const api = {
    list: async ({ unread, archived, before, limit = 20 }: ListOptions) => {
      calls.push('list');
      const matching = inbox.filter((item) => Boolean(item.archivedAt) === Boolean(archived) && (!unread || !item.readAt));
      const from = before ? matching.findIndex((item) => item.cursor === before) + 1 : 0;
      const items = matching.slice(from, from + limit);
      return { items, nextCursor: from + limit < matching.length ? items[items.length - 1].cursor : null };
    },
    counts: async () => ({ unread: 2, unseen: 1, byType: { 'expense.approved': 2 }, byTopic: {} }),
    archive: (id: string) => call(`archive ${id}`),
    unarchive: (id: string) => call(`unarchive ${id}`),
    markRead: (id: string) => call(`read ${id}`),
    markSeen: async (ids: string[] | 'all') => (await call(`seen ${String(ids)}`), 1),
    snooze: (id: string) => call(`snooze ${id}`),
    takeAction: async (id: string, actionId: string) => {
      await call(`action ${id} ${actionId}`);
      return { actionId, actionedAt: '2026-01-02T00:00:00.000Z' };
    },
  };
  return { api: api as unknown as NotificationsApi, calls, refuse: (value: boolean) => (refuse = value) };
}

describe(InboxModel.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => jest.useRealTimers());

  /** A model of `filter` over n3, n2, n1 (newest first), following a client whose session is ready. */
  async function openModel(filter: InboxFilter = 'all', inbox = [3, 2, 1].map((number) => notification(number))) {
    const fake = fakeApi(inbox);
    const model = new InboxModel({ api: fake.api, filter });
    await model.load();
    const client = connectFake();
    model.attach(client);
    await settle();
    const socket = FakeWebSocket.last;
    socket.acceptReady(2);
    const changes: string[] = [];
    model.on('change', ({ cause }) => void changes.push(cause));
    const ids = () => model.items.map((item) => item.id);
    return { model, socket, changes, ids, ...fake };
  }

  it('loads a first page with the counts, then pages back', async () => {
    const inbox = Array.from({ length: 25 }, (_, index) => notification(25 - index));
    const { model, ids, changes } = await openModel('all', inbox);
    expect(ids()).toHaveLength(20);
    expect([model.unreadCount, model.unseenCount, model.unreadByType]).toEqual([2, 1, { 'expense.approved': 2 }]);
    expect(model.hasMore).toBe(true);
    await model.loadMore();
    expect(ids()).toEqual(inbox.map((item) => item.id));
    expect([model.hasMore, changes]).toEqual([false, ['more']]);
  });

  it('puts a live notification on top, drops the one it replaces, and ignores a redelivery', async () => {
    const { socket, ids, changes } = await openModel();
    socket.push('notification', notification(4, { replaces: 'n2', groupCount: 2 }));
    expect(ids()).toEqual(['n4', 'n3', 'n1']);
    socket.push('notification', notification(4));
    expect(changes).toEqual(['notification']);
  });

  it('moves a notification back from a snooze (same id, higher cursor) to the top', async () => {
    const { socket, ids } = await openModel();
    socket.push('notification', notification(1, { cursor: 'c0009', title: 'back' }));
    expect(ids()).toEqual(['n1', 'n3', 'n2']);
  });

  it('applies state frames, naming ids or all, and emits one change per frame', async () => {
    const { model, socket, changes } = await openModel();
    socket.push('state', { ids: ['n2'], change: 'read', at: '2026-01-03T00:00:00.000Z' });
    socket.push('state', { ids: 'all', change: 'seen', at: '2026-01-04T00:00:00.000Z' });
    socket.push('state', { ids: ['n3'], change: 'actioned', at: '2026-01-05T00:00:00.000Z', actionId: 'approve' });
    expect(model.items.map(({ id, readAt, seenAt, actionId }) => ({ id, readAt, seenAt, actionId }))).toEqual([
      { id: 'n3', readAt: '2026-01-05T00:00:00.000Z', seenAt: '2026-01-04T00:00:00.000Z', actionId: 'approve' },
      { id: 'n2', readAt: '2026-01-03T00:00:00.000Z', seenAt: '2026-01-03T00:00:00.000Z', actionId: undefined },
      { id: 'n1', readAt: null, seenAt: '2026-01-04T00:00:00.000Z', actionId: undefined },
    ]);
    expect(changes).toEqual(['state', 'state', 'state']);
    socket.push('state', { ids: ['n2'], change: 'read', at: '2026-01-03T00:00:00.000Z' });
    expect(changes).toHaveLength(3);
  });

  it('removes what no longer matches its filter, and shows it again when it matches once more', async () => {
    const { socket, ids, calls } = await openModel('unread');
    socket.push('state', { ids: ['n2'], change: 'read', at: '2026-01-03T00:00:00.000Z' });
    socket.push('state', { ids: ['n3'], change: 'archived', at: '2026-01-03T00:00:00.000Z' });
    expect(ids()).toEqual(['n1']);
    socket.push('state', { ids: ['n2'], change: 'unread', at: '2026-01-04T00:00:00.000Z' });
    socket.push('state', { ids: ['n3'], change: 'unarchived', at: '2026-01-04T00:00:00.000Z' });
    expect(ids()).toEqual(['n3', 'n2', 'n1']);
    expect(calls.filter((call) => call === 'list')).toHaveLength(1);
  });

  it('lists again when a frame may bring in a notification it never held', async () => {
    const inbox = [notification(3), notification(2, { archivedAt: '2026-01-01T00:00:00.000Z' })];
    const { socket, ids, calls } = await openModel('all', inbox);
    inbox[1] = { ...inbox[1], archivedAt: null };
    socket.push('state', { ids: ['n2'], change: 'unarchived', at: '2026-01-04T00:00:00.000Z' });
    await settle();
    expect(calls.filter((call) => call === 'list')).toHaveLength(2);
    expect(ids()).toEqual(['n3', 'n2']);
  });

  it('drops a notification snoozed elsewhere from its list, and shows it when it comes back as new', async () => {
    const { socket, ids, calls, changes } = await openModel();
    socket.push('state', { ids: ['n2'], change: 'snoozed', at: '2026-01-03T00:00:00.000Z', until: '2026-01-04T00:00:00.000Z' });
    expect(ids()).toEqual(['n3', 'n1']);
    expect(changes).toEqual(['state']);
    // One it never held (the echo of its own snooze): nothing to list again.
    socket.push('state', { ids: ['n9'], change: 'snoozed', at: '2026-01-03T00:00:00.000Z', until: '2026-01-04T00:00:00.000Z' });
    socket.push('notification', notification(2, { cursor: 'c0009' }));
    expect(ids()).toEqual(['n2', 'n3', 'n1']);
    await settle();
    expect(calls.filter((call) => call === 'list')).toHaveLength(1);
  });

  it('leaves a row as it is on a change this version does not know', async () => {
    const { socket, ids, changes } = await openModel();
    socket.push('state', { ids: ['n2'], change: 'pinned', at: '2026-01-03T00:00:00.000Z' });
    expect(ids()).toEqual(['n3', 'n2', 'n1']);
    expect(changes).toEqual([]);
  });

  it('keeps the counts of the unread frames and lists again after a reconnect', async () => {
    const { model, socket, calls } = await openModel();
    socket.push('unread', { count: 7, unseen: 4 });
    expect([model.unreadCount, model.unseenCount]).toEqual([7, 4]);
    socket.serverClose(1006);
    await jest.advanceTimersByTimeAsync(3000);
    FakeWebSocket.last.acceptReady(7);
    await settle();
    expect(calls.filter((call) => call === 'list')).toHaveLength(2);
  });

  it('keeps the totals of an unread frame that comes while the counts are asked for', async () => {
    const { model, socket, api } = await openModel();
    let answer: (counts: Awaited<ReturnType<NotificationsApi['counts']>>) => void = () => undefined;
    api.counts = () => new Promise((resolve) => (answer = resolve));
    const refreshing = model.refreshCounts();
    // The server counted before this notification; its frames came first.
    socket.push('unread', { count: 3, unseen: 2 });
    answer({ unread: 2, unseen: 1, byType: { 'expense.approved': 3 }, byTopic: {} });
    await refreshing;
    expect([model.unreadCount, model.unseenCount, model.unreadByType]).toEqual([3, 2, { 'expense.approved': 3 }]);

    api.counts = async () => ({ unread: 5, unseen: 0, byType: {}, byTopic: {} });
    await model.refreshCounts();
    expect([model.unreadCount, model.unseenCount]).toEqual([5, 0]);
  });

  it('archives at once and brings it back on unarchive (the undo)', async () => {
    const { model, ids, calls, changes } = await openModel();
    const archiving = model.archive('n2');
    expect(ids()).toEqual(['n3', 'n1']);
    await archiving;
    await model.unarchive('n2');
    expect(ids()).toEqual(['n3', 'n2', 'n1']);
    expect(calls.slice(1)).toEqual(['archive n2', 'unarchive n2']);
    expect(changes).toEqual(['local', 'local']);
  });

  it('puts an archived one back when the server refuses, and rejects', async () => {
    const { model, ids, refuse } = await openModel();
    refuse(true);
    await expect(model.archive('n2')).rejects.toBeInstanceOf(NotificationsApiError);
    expect(ids()).toEqual(['n3', 'n2', 'n1']);
    await expect(model.snooze('n3', '2030-01-01T00:00:00Z')).rejects.toBeInstanceOf(NotificationsApiError);
    expect(ids()).toEqual(['n3', 'n2', 'n1']);
  });

  it('snoozes out of the list, and marks all seen with the unseen count 0 at once', async () => {
    const { model, ids, calls } = await openModel();
    await model.snooze('n3', '2030-01-01T00:00:00Z');
    expect(ids()).toEqual(['n2', 'n1']);
    const seeing = model.markSeenAll();
    expect(model.unseenCount).toBe(0);
    expect(model.items.every((item) => item.seenAt)).toBe(true);
    await seeing;
    await model.markSeenAll();
    expect(calls.filter((call) => call.startsWith('seen'))).toEqual(['seen all']);
  });

  it('applies an action when the server answers, and nothing when it refuses', async () => {
    const { model, refuse } = await openModel();
    await model.takeAction('n1', 'approve');
    expect(model.items[2]).toMatchObject({ actionId: 'approve', actionedAt: '2026-01-02T00:00:00.000Z', readAt: expect.any(String) });
    refuse(true);
    await expect(model.takeAction('n2', 'reject')).rejects.toBeInstanceOf(NotificationsApiError);
    expect(model.items[1].actionId).toBeUndefined();
  });

  it('lists a type prefix and takes live notifications of that prefix only', async () => {
    const { socket, ids } = await openModel({ type: 'expense.*' });
    socket.push('notification', notification(4, { type: 'chat.message' }));
    socket.push('notification', notification(5, { type: 'expense.rejected' }));
    expect(ids()).toEqual(['n5', 'n3', 'n2', 'n1']);
  });

  it('applies again to the first page what the client brought while it was asked for', async () => {
    const inbox = [notification(2), notification(1)];
    const fake = fakeApi(inbox);
    const client = connectFake();
    const model = new InboxModel({ api: fake.api, client });
    await settle();
    FakeWebSocket.last.acceptReady(2);
    let answer: (page: { items: Notification[]; nextCursor: null }) => void = () => undefined;
    fake.api.list = () => new Promise((resolve) => (answer = resolve));
    const loading = model.load();
    // The page was read before these two: it lists n2 unread and lacks n3.
    FakeWebSocket.last.push('notification', notification(3));
    FakeWebSocket.last.push('state', { ids: ['n2'], change: 'read', at: '2026-01-03T00:00:00.000Z' });
    answer({ items: inbox, nextCursor: null });
    await loading;
    expect(model.items.map(({ id, readAt }) => [id, readAt])).toEqual([
      ['n3', null],
      ['n2', '2026-01-03T00:00:00.000Z'],
      ['n1', null],
    ]);
  });
});

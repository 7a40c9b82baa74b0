import { connect, InboxModel, NotificationsApi, type Notification, type NotificationClient } from '../client/src';
import { DataSource } from 'typeorm';
import { WebSocket } from 'ws';
import { runSql } from '../src/persistence/sql';
import { ScheduledDeliveryWorker } from '../src/workers/scheduled-delivery.worker';
import { request, send } from './support/http';
import { nextEvent } from './support/sdk';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

/** What a user sees of a row: two models, and the server's list, must agree on it. */
const shown = (items: readonly Notification[]) =>
  items.map((item) => ({
    id: item.id,
    title: item.title,
    read: Boolean(item.readAt),
    seen: Boolean(item.seenAt),
    actionId: item.actionId ?? null,
    groupCount: item.groupCount,
  }));

/** Resolves once `holds` is true of the model, checked on each of its change events. */
function until(model: InboxModel, holds: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  if (holds()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      const counts = `unread ${model.unreadCount}, unseen ${model.unseenCount}`;
      reject(new Error(`${what}: not so after ${timeoutMs} ms; ${counts}; items ${JSON.stringify(shown(model.items))}`));
    }, timeoutMs);
    const off = model.on('change', () => {
      if (!holds()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

// Two tabs of one user, each an InboxModel on its own client, against the real server: after
// each change, made through one model or over REST, both show what the server lists.
describe('SDK: InboxModel', () => {
  let server: TestServer;
  const sender = senderToken('model-sender');
  const clients: NotificationClient[] = [];
  const user = 'model-pair';
  const token = () => tokenFor(user);

  const notify = async (body: Record<string, unknown>) =>
    (await send(server.baseUrl, sender, { userIds: [user], ...body })).body.id as string;
  const openModel = async () => {
    const model = new InboxModel({ api: new NotificationsApi({ url: server.baseUrl, token }) });
    await model.load();
    const client = connect({ url: server.baseUrl, token, after: model.newestCursor ?? '0', WebSocket });
    clients.push(client);
    model.attach(client);
    await nextEvent(client, 'ready');
    return model;
  };
  /** Waits until both models show what the server lists, with its counts. */
  const agree = async (models: InboxModel[], what: string) => {
    const api = new NotificationsApi({ url: server.baseUrl, token });
    const [page, counts] = await Promise.all([api.list(), api.counts()]);
    for (const model of models) {
      await until(
        model,
        () =>
          JSON.stringify(shown(model.items)) === JSON.stringify(shown(page.items)) &&
          model.unreadCount === counts.unread &&
          model.unseenCount === counts.unseen,
        what,
      );
    }
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server.close();
  });

  it('keeps two models of one user equal to the server after changes on one and over REST', async () => {
    const first = await notify({ title: 'Weekly report', type: 'report.ready' });
    const expense = await notify({
      title: 'Expense to approve',
      type: 'expense.submitted',
      actions: [
        { id: 'approve', label: 'Approve', style: 'primary' },
        { id: 'reject', label: 'Reject', style: 'danger' },
      ],
    });
    await notify({ title: 'Alice commented', type: 'post.commented', groupKey: 'post-7' });
    const [tab, phone] = [await openModel(), await openModel()];
    expect(shown(tab.items).map((item) => item.title)).toEqual(['Alice commented', 'Expense to approve', 'Weekly report']);
    await agree([tab, phone], 'loaded');

    await tab.archive(first);
    expect(tab.items.map((item) => item.id)).not.toContain(first);
    await agree([tab, phone], 'archived on one');
    await tab.unarchive(first);
    await agree([tab, phone], 'unarchived (undo) on one');

    await tab.takeAction(expense, 'approve');
    await agree([tab, phone], 'action taken on one');
    expect(phone.items.find((item) => item.id === expense)?.actionId).toBe('approve');

    await tab.markSeenAll();
    expect(tab.unseenCount).toBe(0);
    await agree([tab, phone], 'bell opened on one');

    const replacing = await notify({ title: 'Alice and Bob commented', type: 'post.commented', groupKey: 'post-7' });
    await agree([tab, phone], 'a replacing send');
    expect(phone.items[0]).toMatchObject({ id: replacing, groupCount: 2 });

    expect((await request(server.baseUrl, 'POST', `/notifications/${first}/read`, { token: token() })).status).toBe(204);
    await agree([tab, phone], 'read over REST');
    expect((await request(server.baseUrl, 'POST', `/notifications/${first}/unread`, { token: token() })).status).toBe(204);
    await agree([tab, phone], 'unread again over REST');
    expect((await request(server.baseUrl, 'POST', `/notifications/${replacing}/archive`, { token: token() })).status).toBe(204);
    await agree([tab, phone], 'archived over REST');
    expect((await request(server.baseUrl, 'POST', '/notifications/read-all', { token: token() })).status).toBe(200);
    await agree([tab, phone], 'read all over REST');
    expect(tab.unreadCount).toBe(0);
  });

  it('keeps two models equal to the server after a snooze on one and over REST, and when they come back', async () => {
    const later = await notify({ title: 'Read later', type: 'report.ready' });
    const other = await notify({ title: 'Also later', type: 'report.ready' });
    const [tab, phone] = [await openModel(), await openModel()];
    await agree([tab, phone], 'loaded');
    const inAnHour = new Date(Date.now() + 3_600_000);

    await tab.snooze(later, inAnHour);
    expect(tab.items.map((item) => item.id)).not.toContain(later);
    await agree([tab, phone], 'snoozed on one');
    expect(phone.items.map((item) => item.id)).not.toContain(later);
    const snoozed = await request(server.baseUrl, 'POST', `/notifications/${other}/snooze`, {
      token: token(),
      body: { until: inAnHour.toISOString() },
    });
    expect(snoozed.status).toBe(204);
    await agree([tab, phone], 'snoozed over REST');
    expect(tab.items.map((item) => item.id)).not.toContain(other);

    // Their time comes: both come back as new, on top of both lists.
    const db = server.app.get(DataSource).manager;
    await runSql(db, `UPDATE notification_snoozes SET until = ? WHERE user_id = ?`, [new Date(Date.now() - 1000).toISOString(), user]);
    await server.app.get(ScheduledDeliveryWorker).releaseDue();
    await agree([tab, phone], 'back from the snooze');
    expect(
      phone.items
        .slice(0, 2)
        .map((item) => item.id)
        .sort(),
    ).toEqual([other, later].sort());
  });

  it('shows a notification archived elsewhere on an archived list, and drops it when unarchived', async () => {
    const id = await notify({ title: 'To archive', type: 'report.ready' });
    const archived = new InboxModel({ api: new NotificationsApi({ url: server.baseUrl, token }), filter: 'archived' });
    await archived.load();
    const client = connect({ url: server.baseUrl, token, WebSocket });
    clients.push(client);
    archived.attach(client);
    await nextEvent(client, 'ready');
    expect(archived.items.map((item) => item.id)).not.toContain(id);

    await request(server.baseUrl, 'POST', `/notifications/${id}/archive`, { token: token() });
    await until(archived, () => archived.items[0]?.id === id, 'archived elsewhere');
    await request(server.baseUrl, 'POST', `/notifications/${id}/unarchive`, { token: token() });
    await until(archived, () => !archived.items.some((item) => item.id === id), 'unarchived elsewhere');
  });
});

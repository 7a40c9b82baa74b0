import { connect, NotificationClient, NotificationsApi, NotificationsApiError } from '../client/src';
import { send } from './support/http';
import { nextEvent, recordingWebSocket } from './support/sdk';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

/** The SDK's inbox states against the real server: the REST methods, the seen frame, and the inboxState and unread events. */
describe('SDK: inbox states, filters and counts', () => {
  let server: TestServer;
  const sender = senderToken('sdk-state-sender');
  const clients: NotificationClient[] = [];
  const notify = async (userId: string, body: Record<string, unknown> = {}) =>
    (await send(server.baseUrl, sender, { userIds: [userId], ...body })).body.id as string;
  const open = (userId: string) => {
    const client = connect({ url: server.baseUrl, token: tokenFor(userId), WebSocket: recordingWebSocket().WebSocket });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });
  afterAll(() => server.close());

  it('lists with filters, counts, and changes states over REST', async () => {
    const user = 'sdk-state-rest';
    const api = new NotificationsApi({ url: server.baseUrl, token: () => tokenFor(user) });
    const approved = await notify(user, { type: 'expense.approved' });
    const chat = await notify(user, { type: 'chat.message' });

    expect((await api.list({ type: 'expense.*' })).items.map((item) => item.id)).toEqual([approved]);
    expect(await api.counts()).toEqual({ unread: 2, unseen: 2, byType: { 'expense.approved': 1, 'chat.message': 1 }, byTopic: {} });
    expect(await api.markSeen([chat])).toBe(1);
    expect((await api.list({ seen: false })).items.map((item) => item.id)).toEqual([approved]);
    await api.markRead(chat);
    await api.markUnread(chat);
    expect((await api.list({ unread: true, since: new Date(0) })).items).toHaveLength(2);
    expect(await api.readAll({ type: 'chat.*' })).toBe(1);
    await api.archive(approved);
    expect((await api.list({ archived: true })).items.map((item) => item.id)).toEqual([approved]);
    await api.unarchive(approved);
    expect(await api.archiveAll({ read: true })).toBe(1);
    expect(await api.markSeen('all')).toBe(1);
    expect(await api.counts()).toEqual({ unread: 1, unseen: 0, byType: { 'expense.approved': 1 }, byTopic: {} });

    const refused = await api.markUnread('0190b1b2-0000-7000-8000-000000000404').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NotificationsApiError);
    expect((refused as NotificationsApiError).status).toBe(404);
  });

  it('sends seen frames and emits inboxState and unread {count, unseen} events', async () => {
    const user = 'sdk-state-ws';
    const id = await notify(user);
    const [tab, phone] = [open(user), open(user)];
    const [ready] = await Promise.all([nextEvent(phone, 'ready'), nextEvent(tab, 'ready')]);
    expect(ready).toEqual(expect.objectContaining({ unreadCount: 1, unseenCount: 1 }));
    const state = nextEvent(phone, 'inboxState');
    const unread = nextEvent(phone, 'unread');
    tab.markSeen(id);
    expect(await state).toEqual({ ids: [id], change: 'seen', at: expect.any(String) });
    expect(await unread).toEqual({ count: 1, unseen: 0 });
    expect([phone.unreadCount, phone.unseenCount]).toEqual([1, 0]);
  });
});

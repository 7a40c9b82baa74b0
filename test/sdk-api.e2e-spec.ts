import { NotificationsApi, NotificationsApiError } from '../client/src';
import { request, send } from './support/http';
import { untilWaiting } from './support/polls';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

/** The SDK's NotificationsApi against the real server: polling, a sender's held sends, snoozing. */
describe('SDK: NotificationsApi', () => {
  let server: TestServer;
  const sender = senderToken('sdk-sender');

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('polls, long-polls until a send arrives, and polls on from nextCursor until stopped', async () => {
    const api = new NotificationsApi({ url: `${server.baseUrl}/`, token: async () => tokenFor('sdk-poller') });
    const first = await send(server.baseUrl, sender, { userIds: ['sdk-poller'], title: 'First' });
    const page = await api.poll({ after: '0' });
    expect(page.items.map((item) => item.id)).toEqual([first.body.id]);

    const waiting = api.poll({ after: page.nextCursor, wait: 30 });
    await untilWaiting(server.app, 1);
    const second = await send(server.baseUrl, sender, { userIds: ['sdk-poller'], title: 'Second' });
    const woken = await waiting;
    expect(woken.items.map((item) => item.title)).toEqual(['Second']);

    const stop = new AbortController();
    const received: string[] = [];
    const polling = api.pollForever({
      after: '0',
      signal: stop.signal,
      onNotification: (notification) => {
        received.push(notification.id);
        if (received.length === 3) stop.abort();
      },
    });
    await untilWaiting(server.app, 1);
    const third = await send(server.baseUrl, sender, { userIds: ['sdk-poller'], title: 'Third' });
    const resumeFrom = await polling;
    expect(received).toEqual([first.body.id, second.body.id, third.body.id]);
    expect((await api.poll({ after: resumeFrom })).items).toEqual([]);
    await untilWaiting(server.app, 0);
  });

  it("lists, moves and cancels the sender's held sends, and rejects with the server's status", async () => {
    const api = new NotificationsApi({ url: server.baseUrl, token: sender });
    const held = await send(server.baseUrl, sender, { topic: 'sdk-digest', title: 'Later', deliverAt: '2031-01-01T09:00:00Z' });
    expect((await api.listScheduled()).items).toEqual([expect.objectContaining({ id: held.body.id, topic: 'sdk-digest' })]);
    const moved = await api.reschedule(held.body.id, new Date('2031-01-02T09:00:00Z'));
    expect(moved.deliverAt).toBe('2031-01-02T09:00:00.000Z');
    await api.cancelScheduled(held.body.id);
    await expect(api.cancelScheduled(held.body.id)).rejects.toMatchObject({ status: 404, code: 'NOTIFICATIONS_CLIENT_ERR_HTTP' });
    const refusal = await api.reschedule(held.body.id, '2000-01-01T00:00:00Z').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(NotificationsApiError);
    expect(refusal).toMatchObject({ status: 400, message: 'HTTP 400: deliverAt must be in the future' });
    await expect(new NotificationsApi({ url: server.baseUrl, token: tokenFor('no-scope') }).listScheduled()).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/^HTTP 403: .*notifications:send/),
    });
    await expect(api.poll({ after: 'x', wait: 99 })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/after must be.*; wait must be/),
    });
  });

  it("snoozes one of the user's notifications out of the inbox, and rejects with the server's status", async () => {
    const api = new NotificationsApi({ url: server.baseUrl, token: tokenFor('sdk-snoozer') });
    const sent = await send(server.baseUrl, sender, { userIds: ['sdk-snoozer'], title: 'Later' });

    await api.snooze(sent.body.id, new Date(Date.now() + 3_600_000));

    const inbox = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('sdk-snoozer') });
    expect(inbox.body.items).toEqual([]);
    await expect(api.snooze(sent.body.id, new Date(Date.now() + 3_600_000))).rejects.toMatchObject({ status: 404 });
    await expect(api.snooze(sent.body.id, '2000-01-01T00:00:00Z')).rejects.toMatchObject({
      status: 400,
      message: 'HTTP 400: until must be in the future',
    });
  });
});

import { NotificationsService } from '../src/index';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/** Sends whose recipients' preferences switch in-app off: they are skipped inside the send, and counted. */
describe('Preferences: in-app off suppresses a send, critical bypasses it', () => {
  let server: TestServer;
  const sender = senderToken();
  const clients: TestClient[] = [];
  const put = async (userId: string, body: unknown) =>
    expect((await request(server.baseUrl, 'PUT', '/preferences', { token: tokenFor(userId), body })).status).toBe(200);
  const open = async (userId: string) => {
    const client = await TestClient.open(server.wsUrl, tokenFor(userId));
    clients.push(client);
    return client;
  };
  const inbox = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items as Array<{
      id: string;
      critical: boolean;
    }>;
  const ids = async (userId: string) => (await inbox(userId)).map((item) => item.id);
  const subscribe = (topic: string, userId: string) =>
    request(server.baseUrl, 'PUT', `/topics/${topic}/subscribers/${userId}`, { token: sender });
  /** Waits until every frame sent to the client so far has arrived; then asserts it got no notification. */
  const expectNothingFor = async (client: TestClient) => {
    await client.roundTrip();
    expect(client.all('notification')).toHaveLength(0);
    expect(client.all('unread')).toHaveLength(0);
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => server.close());

  it('skips users whose rule switches in-app off: no inbox row, no frame, counted as suppressed', async () => {
    await put('exact-off', { types: { 'system.maintenance': { inApp: false } } });
    await put('exact-wins', { types: { 'system.*': { inApp: false }, 'system.maintenance': { inApp: true } } });
    await put('prefix-off', { types: { 'system.*': { inApp: false, email: true } } });
    await put('email-only', { types: { 'system.*': { email: false } } });
    const [exactOff, exactWins, emailOnly] = [await open('exact-off'), await open('exact-wins'), await open('email-only')];
    const userIds = ['exact-off', 'exact-wins', 'prefix-off', 'email-only', 'no-preferences'];

    const response = await send(server.baseUrl, sender, { userIds, type: 'system.maintenance', title: 'Down at 2:00' });
    expect(response.body).toEqual({ id: expect.any(String), recipients: 3, online: 2, suppressed: 2 });
    for (const client of [exactWins, emailOnly]) expect((await client.next('notification')).data.id).toBe(response.body.id);
    await expectNothingFor(exactOff);
    expect(await ids('exact-off')).toEqual([]);
    expect(await ids('prefix-off')).toEqual([]);
    expect(await ids('no-preferences')).toEqual([response.body.id]);

    // Another type is not theirs to refuse; and switched back on, the same type comes in.
    const other = await send(server.baseUrl, sender, { userIds: ['exact-off'], type: 'system.upgrade', title: 'Upgraded' });
    expect(other.body).toMatchObject({ recipients: 1, suppressed: 0 });
    await put('prefix-off', {});
    const again = await send(server.baseUrl, sender, { userIds: ['prefix-off'], type: 'system.maintenance', title: 'Again' });
    expect(again.body).toMatchObject({ recipients: 1, suppressed: 0 });
  });

  it('skips topic subscribers in the same statements, and counts them once per send', async () => {
    const subscribers = ['fin-plain', 'fin-topic-off', 'fin-channels-off', 'fin-type-wins', 'fin-online-off'];
    for (const userId of subscribers) await subscribe('finance', userId);
    await put('fin-topic-off', { topics: { finance: { inApp: false } } });
    await put('fin-channels-off', { channels: { inApp: false } });
    // The type entry decides before the topic entry.
    await put('fin-type-wins', { types: { 'expense.*': { inApp: true } }, topics: { finance: { inApp: false } } });
    await put('fin-online-off', { topics: { finance: { inApp: false } } });
    const [plain, onlineOff] = [await open('fin-plain'), await open('fin-online-off')];

    const response = await send(server.baseUrl, sender, { topic: 'finance', type: 'expense.approved', title: 'Approved' });
    expect(response.body).toEqual({ id: expect.any(String), recipients: 2, online: 1, suppressed: 3 });
    expect((await plain.next('notification')).data).toMatchObject({ id: response.body.id, topic: 'finance' });
    await expectNothingFor(onlineOff);
    expect(await ids('fin-type-wins')).toEqual([response.body.id]);
    for (const userId of ['fin-topic-off', 'fin-channels-off', 'fin-online-off']) expect(await ids(userId)).toEqual([]);
  });

  it('applies preferences when a held send is released: the send counts none suppressed, the release skips them', async () => {
    await put('held-off', { types: { 'reminder.*': { inApp: false } } });
    const [off, on] = [await open('held-off'), await open('held-on')];
    const deliverAt = inSeconds(1);
    const response = await send(server.baseUrl, sender, {
      userIds: ['held-off', 'held-on'],
      type: 'reminder.due',
      title: 'Due',
      deliverAt,
    });
    expect(response.body).toEqual({ id: expect.any(String), recipients: 2, online: 0, suppressed: 0 });
    expect((await on.next('notification', 5000)).data.id).toBe(response.body.id);
    await expectNothingFor(off);
    expect(await ids('held-off')).toEqual([]);
  });

  it('answers a repeated Idempotency-Key with the first result, suppressed included', async () => {
    await put('idem-off', { channels: { inApp: false } });
    const headers = { 'idempotency-key': 'suppressed-once' };
    const first = await send(server.baseUrl, sender, { userIds: ['idem-off', 'idem-on'], title: 'Once' }, headers);
    expect(first.body).toMatchObject({ recipients: 1, suppressed: 1 });
    expect((await send(server.baseUrl, sender, { userIds: ['idem-off', 'idem-on'], title: 'Once' }, headers)).body).toEqual(first.body);
  });

  it('delivers a critical send to every recipient whatever their preferences, and marks it critical', async () => {
    await put('crit-off', { channels: { inApp: false }, types: { 'security.*': { inApp: false } } });
    await subscribe('alerts', 'crit-off');
    const off = await open('crit-off');
    const response = await send(server.baseUrl, sender, {
      userIds: ['crit-off', 'crit-plain'],
      type: 'security.alert',
      title: 'New login',
      critical: true,
    });
    expect(response.body).toEqual({ id: expect.any(String), recipients: 2, online: 1, suppressed: 0 });
    expect((await off.next('notification')).data).toMatchObject({ id: response.body.id, critical: true });
    expect(await inbox('crit-plain')).toEqual([expect.objectContaining({ id: response.body.id, critical: true })]);

    const topic = await send(server.baseUrl, sender, { topic: 'alerts', type: 'security.alert', title: 'Alert', critical: true });
    expect(topic.body).toMatchObject({ recipients: 1, suppressed: 0 });
    const hosted = await server.app
      .get(NotificationsService)
      .send({ userIds: ['crit-off'], type: 'security.alert', title: 'Host', critical: true });
    expect(hosted).toMatchObject({ recipients: 1, suppressed: 0 });
    expect(
      (await send(server.baseUrl, sender, { userIds: ['crit-off'], type: 'security.alert', title: 'Not critical' })).body,
    ).toMatchObject({
      recipients: 0,
      suppressed: 1,
    });
    expect((await inbox('crit-off')).map((item) => item.critical)).toEqual([true, true, true]);
    expect((await inbox('no-preferences'))[0].critical).toBe(false);
    expect((await send(server.baseUrl, sender, { userIds: ['x'], title: 't', critical: 'yes' })).status).toBe(400);
  });

  // Last: a broadcast reaches the inbox of every user who lists it afterwards.
  it('keeps a broadcast out of the inboxes of users with in-app off, connected or not; its answer counts 0 suppressed', async () => {
    await put('bc-off', { types: { 'news.*': { inApp: false } } });
    await put('bc-off-later', { channels: { inApp: false } });
    const [off, on] = [await open('bc-off'), await open('bc-on')];
    const response = await send(server.baseUrl, sender, { broadcast: true, type: 'news.weekly', title: 'This week' });
    expect(response.body).toMatchObject({ recipients: expect.any(Number), suppressed: 0 });
    expect((await on.next('notification')).data.id).toBe(response.body.id);
    await expectNothingFor(off);
    expect(await ids('bc-off')).not.toContain(response.body.id);
    expect(await ids('bc-off-later')).not.toContain(response.body.id);
    expect(await ids('bc-never-seen')).toContain(response.body.id);
    // Switched back on before it expires: the broadcast reaches their inbox when they next look.
    await put('bc-off-later', {});
    expect(await ids('bc-off-later')).toContain(response.body.id);
  });
});

import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelDecision, ChannelDecisionRequest, ChannelPreferences, NotificationsModuleOptions } from '../src/index';
import { UnitOfWork } from '../src/persistence/unit-of-work';
import { CountingLogger } from './support/counting-logger';
import { eventually } from './support/eventually';
import { HostApps } from './support/host-app';
import { request, send } from './support/http';
import { hostDatabase, RecordingChannel } from './support/recording-channel';
import { TestDatabase } from './support/test-server';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
const FAST = { pollMs: 20, retryBaseMs: 20 };

describe('Channels beyond the socket: the outbox', () => {
  const hosts = new HostApps();
  const databases: TestDatabase[] = [];
  afterEach(() => hosts.closeAll());
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.remove()));
    hosts.remove();
  });

  async function boot(module: Partial<NotificationsModuleOptions>, logger?: CountingLogger) {
    const { options, database } = await hostDatabase();
    databases.push(database);
    const host = await hosts.boot({ module, database: { ...options, ...(logger ? { logging: true, logger } : {}) } });
    const deliveries = (id: string, token = ops) => request(host.baseUrl, 'GET', `/notifications/${id}/deliveries`, { token });
    /** Makes every pending plan due now, as if its delay had passed. */
    const makeDue = () =>
      host.app
        .get<DataSource>(getDataSourceToken())
        .query(`UPDATE notification_outbox SET due_at = '2000-01-01T00:00:00.000Z' WHERE status = 'pending'`);
    return { ...host, deliveries, makeDue };
  }

  it("sends an offline user's notification by the host's channel once, and the deliveries route shows it", async () => {
    const slack = new RecordingChannel('slack');
    const host = await boot({ channels: [slack], fallback: FAST });
    const sent = await send(host.baseUrl, ops, { userIds: ['away'], type: 'deploy.done', title: 'Deployed' });
    const page = await eventually(
      () => host.deliveries(sent.body.id),
      (response) => response.body.items?.some((item: { status: string }) => item.status === 'sent'),
    );
    expect(page.body).toEqual({
      items: [
        { userId: 'away', channel: 'websocket', status: 'pending', attempts: 0, at: null },
        { userId: 'away', channel: 'slack', status: 'sent', attempts: 1, at: expect.any(String) },
      ],
      nextCursor: null,
    });
    expect(slack.sends).toHaveLength(1);
    expect(slack.sends[0].recipient).toEqual({ userId: 'away', email: null });
    expect(slack.sends[0].notification).toMatchObject({
      id: sent.body.id,
      title: 'Deployed',
      cursor: expect.any(String),
      deliveredAt: null,
    });
  });

  it('cancels a plan whose notification was acknowledged first: it reads as skipped, and nothing is sent', async () => {
    const slack = new RecordingChannel('slack');
    const host = await boot({ channels: [slack], fallback: FAST });
    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('present')}`);
    await client.next('ready');
    const sent = await send(host.baseUrl, ops, { userIds: ['present'], title: 'Seen live' });
    // Online at send time: the plan waits the grace period for an ack.
    client.send('ack', { ids: [(await client.next('notification')).data.id] });
    await eventually(
      () => request(host.baseUrl, 'GET', '/notifications', { token: tokenFor('present') }),
      (response) => response.body.items[0].deliveredAt !== null,
    );
    await host.makeDue();
    const page = await eventually(
      () => host.deliveries(sent.body.id),
      (response) => response.body.items?.[1]?.status !== 'pending',
    );
    expect(page.body.items).toEqual([
      { userId: 'present', channel: 'websocket', status: 'sent', attempts: 1, at: expect.any(String) },
      { userId: 'present', channel: 'slack', status: 'skipped', attempts: 0, at: expect.any(String), error: 'delivered before it was due' },
    ]);
    expect(slack.sends).toHaveLength(0);
    await client.close();
  });

  it('retries a failing channel with backoff, then records it failed; the other channel sends all the same', async () => {
    const broken = new RecordingChannel('sms', () => {
      throw new Error('gateway timeout');
    });
    const slack = new RecordingChannel('slack');
    const host = await boot({ channels: [broken, slack], fallback: { ...FAST, maxAttempts: 3 } });
    const sent = await send(host.baseUrl, ops, { userIds: ['away'], title: 'Either way' });
    const page = await eventually(
      () => host.deliveries(sent.body.id),
      (response) => response.body.items?.find((item: { channel: string }) => item.channel === 'sms')?.status === 'failed',
    );
    expect(page.body.items).toEqual([
      { userId: 'away', channel: 'websocket', status: 'pending', attempts: 0, at: null },
      { userId: 'away', channel: 'slack', status: 'sent', attempts: 1, at: expect.any(String) },
      { userId: 'away', channel: 'sms', status: 'failed', attempts: 3, at: expect.any(String), error: 'gateway timeout' },
    ]);
    expect(broken.sends).toHaveLength(3);
    expect(slack.sends).toHaveLength(1);
  });

  it('fails the tries of a channel that cannot prepare its batch, and sends by the others', async () => {
    const broken = new RecordingChannel('sms');
    Object.assign(broken, {
      prepare: async () => {
        throw new Error('directory down');
      },
    });
    const slack = new RecordingChannel('slack');
    const host = await boot({ channels: [broken, slack], fallback: { ...FAST, maxAttempts: 2 } });
    const sent = await send(host.baseUrl, ops, { userIds: ['away'], title: 'Prepared or not' });
    const page = await eventually(
      () => host.deliveries(sent.body.id),
      (response) => response.body.items?.find((item: { channel: string }) => item.channel === 'sms')?.status === 'failed',
    );
    expect(page.body.items.find((item: { channel: string }) => item.channel === 'sms')).toMatchObject({
      attempts: 2,
      error: 'preparing the channel failed: directory down',
    });
    expect(page.body.items.find((item: { channel: string }) => item.channel === 'slack')).toMatchObject({ status: 'sent' });
    expect(broken.sends).toHaveLength(0);
  });

  it('keeps a batch waiting, no try counted, while the preferences cannot answer', async () => {
    const slack = new RecordingChannel('slack');
    let answering = false;
    let asked = 0;
    const preferences: ChannelPreferences = {
      decide: async (requests) => {
        asked++;
        if (!answering) throw new Error('preferences unavailable');
        return requests.map(() => ({ allowed: true }));
      },
    };
    const host = await boot({ channels: [slack], channelPreferences: preferences, fallback: FAST });
    const sent = await send(host.baseUrl, ops, { userIds: ['away'], title: 'Patience' });
    // Asked a second time: the first refusal was recorded, and the plan came due again.
    await eventually(
      async () => asked,
      (count) => count >= 2,
    );
    const waiting = await host.deliveries(sent.body.id);
    expect(waiting.body.items[1]).toMatchObject({ channel: 'slack', status: 'pending', attempts: 0 });
    expect(slack.sends).toHaveLength(0);
    answering = true;
    const page = await eventually(
      () => host.deliveries(sent.body.id),
      (response) => response.body.items?.[1]?.status === 'sent',
    );
    expect(page.body.items[1]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it("plans a topic's subscribers, and a held send when it is released; a broadcast stays in-app", async () => {
    const slack = new RecordingChannel('slack');
    const host = await boot({ channels: [slack], fallback: FAST, timing: { schedulePollMs: 20 } });
    for (const userId of ['fan-1', 'fan-2']) {
      expect((await request(host.baseUrl, 'PUT', `/topics/fans/subscribers/${userId}`, { token: ops })).status).toBe(204);
    }
    const topic = await send(host.baseUrl, ops, { topic: 'fans', title: 'To the topic' });
    const held = await send(host.baseUrl, ops, { userIds: ['later'], title: 'Held', deliverAt: new Date(Date.now() + 300).toISOString() });
    const broadcast = await send(host.baseUrl, ops, { broadcast: true, title: 'To everyone' });
    await eventually(
      async () => slack.sends.map((each) => `${each.notification.title} ${each.recipient.userId}`).sort(),
      (sends) => sends.length === 3,
    );
    expect(slack.sends.map((each) => `${each.notification.title} ${each.recipient.userId}`).sort()).toEqual([
      'Held later',
      'To the topic fan-1',
      'To the topic fan-2',
    ]);
    expect((await host.deliveries(topic.body.id)).body.items.filter((item: { channel: string }) => item.channel === 'slack')).toHaveLength(
      2,
    );
    expect((await host.deliveries(held.body.id)).body.items[1]).toMatchObject({ channel: 'slack', status: 'sent' });
    expect((await host.deliveries(broadcast.body.id)).body.items).toEqual([]);
  });

  it('applies per-type exceptions: a channel off for a prefix, a later one for an exact type', async () => {
    const slack = new RecordingChannel('slack');
    const host = await boot({
      channels: [slack],
      fallback: {
        ...FAST,
        types: {
          'chat.*': { slack: false },
          'chat.urgent': { slack: { afterSeconds: 0 } },
          'digest.weekly': { slack: { afterSeconds: 3600 } },
        },
      },
    });
    const chat = await send(host.baseUrl, ops, { userIds: ['away'], type: 'chat.message', title: 'Hi' });
    const digest = await send(host.baseUrl, ops, { userIds: ['away'], type: 'digest.weekly', title: 'Your week' });
    const urgent = await send(host.baseUrl, ops, { userIds: ['away'], type: 'chat.urgent', title: 'Now' });
    await eventually(
      () => host.deliveries(urgent.body.id),
      (response) => response.body.items?.[1]?.status === 'sent',
    );
    expect((await host.deliveries(chat.body.id)).body.items.map((item: { channel: string }) => item.channel)).toEqual(['websocket']);
    const later = (await host.deliveries(digest.body.id)).body.items[1];
    expect(later).toMatchObject({ channel: 'slack', status: 'pending', attempts: 0 });
    expect(Date.parse(later.at) - Date.now()).toBeGreaterThan(3500 * 1000);
    expect(slack.sends.map((each) => each.notification.type)).toEqual(['chat.urgent']);
  });

  it('asks the preferences: a channel turned off is skipped, quiet hours hold the send until they end', async () => {
    const slack = new RecordingChannel('slack');
    const morning = new Date(Date.now() + 8 * 3600 * 1000);
    const preferences: ChannelPreferences = {
      decide: async (requests: readonly ChannelDecisionRequest[]): Promise<ChannelDecision[]> =>
        requests.map(({ userId }) =>
          userId === 'muted' ? { allowed: false } : userId === 'asleep' ? { allowed: true, holdUntil: morning } : { allowed: true },
        ),
    };
    const host = await boot({ channels: [slack], channelPreferences: preferences, fallback: FAST });
    const sent = await send(host.baseUrl, ops, { userIds: ['muted', 'asleep', 'awake'], title: 'Hello' });
    const page = await eventually(
      () => host.deliveries(sent.body.id),
      (response) =>
        response.body.items?.filter((item: { channel: string; status: string }) => item.channel === 'slack' && item.status !== 'pending')
          .length === 2,
    );
    const slackItems = page.body.items.filter((item: { channel: string }) => item.channel === 'slack');
    expect(slackItems).toEqual(
      expect.arrayContaining([
        {
          userId: 'muted',
          channel: 'slack',
          status: 'skipped',
          attempts: 0,
          at: expect.any(String),
          error: 'turned off in the preferences',
        },
        { userId: 'asleep', channel: 'slack', status: 'pending', attempts: 0, at: morning.toISOString() },
        { userId: 'awake', channel: 'slack', status: 'sent', attempts: 1, at: expect.any(String) },
      ]),
    );
    expect(slack.sends.map((each) => each.recipient.userId)).toEqual(['awake']);
  });

  it('shows deliveries to the sender only: 404 for anyone else, 400 for a bad id', async () => {
    const host = await boot({ channels: [new RecordingChannel('slack')], fallback: FAST });
    const sent = await send(host.baseUrl, ops, { userIds: ['away'], title: 'Mine' });
    expect((await host.deliveries(sent.body.id, tokenFor('away'))).status).toBe(404);
    expect((await host.deliveries('not-an-id')).status).toBe(400);
    expect((await host.deliveries('0190d3c1-7c1f-7abc-8def-0123456789ab')).status).toBe(404);
    expect((await request(host.baseUrl, 'GET', `/notifications/${sent.body.id}/deliveries?limit=0`, { token: ops })).status).toBe(400);
  });

  it('costs a send no statement at all when no channel is configured, and one when one is (in the same round trip on PostgreSQL)', async () => {
    const count = async (module: Partial<NotificationsModuleOptions>) => {
      const logger = new CountingLogger();
      const host = await boot(module, logger);
      const oneRoundTrip = jest.spyOn(host.app.get(UnitOfWork), 'writeInOneRoundTrip');
      await send(host.baseUrl, ops, { userIds: ['warm-up'], title: 'First' });
      const before = logger.count;
      oneRoundTrip.mockClear();
      await send(host.baseUrl, ops, { userIds: ['away'], title: 'Counted' });
      // On PostgreSQL a direct send is one message of statements (UnitOfWork.writeInOneRoundTrip), past TypeORM's logger.
      const messages = oneRoundTrip.mock.calls.map(([statements]) => statements.length);
      return { statements: logger.count - before + messages.reduce((sum, each) => sum + each, 0), roundTrips: messages.length };
    };
    const without = await count({});
    const withChannel = await count({ channels: [new RecordingChannel('slack')], fallback: { pollMs: 60_000 } });
    expect(withChannel.statements).toBe(without.statements + 1);
    expect(withChannel.roundTrips).toBe(without.roundTrips);
  });
});

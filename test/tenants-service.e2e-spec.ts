import { DataSource } from 'typeorm';
import { NotificationsService, PreferencesService, Snoozes, TopicSubscriptions } from '../src/index';
import { startServer, TestServer } from './support/test-server';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const CLAIM = 'org';
const acme = { tenantId: 'acme' };
const globex = { tenantId: 'globex' };
/** A key as the module stores ids (`<tenant number>:<id>`, a string starting with digits and ":"): none may leave it. */
const STORED_KEY = /"\d+:/;
const later = () => new Date(Date.now() + 3_600_000).toISOString();

/**
 * Host code with tenancy, through NotificationsService: tenants acme and globex with the same
 * user ids. Each call names its tenant like `send` does, touches that tenant only, and answers
 * with the tenant's own ids. (On PostgreSQL too: jest.services.config.js.)
 */
describe('Tenants through the service (host code)', () => {
  let server: TestServer;
  let notifications: NotificationsService;

  beforeAll(async () => {
    server = await startServer({ env: { TENANT_CLAIM: CLAIM } });
    notifications = server.app.get(NotificationsService);
  });
  afterAll(() => server.close());

  /** The same user in both tenants, with one notification each. */
  async function twoInboxes(userId: string) {
    const a = await notifications.send({ userIds: [userId], type: 'a.one', title: 'For acme' }, { ...acme, senderId: 'boss' });
    const b = await notifications.send({ userIds: [userId], type: 'b.one', title: 'For globex' }, { ...globex, senderId: 'boss' });
    return { a: a.id, b: b.id };
  }
  const titles = async (userId: string, tenant: { tenantId: string }) =>
    (await notifications.list(userId, { limit: 10, ...tenant })).items.map((item) => item.title);

  it('lists, counts, reads and archives the inbox of the tenant it names only', async () => {
    const { a, b } = await twoInboxes('u1');
    const page = await notifications.list('u1', { limit: 10, ...acme });
    expect(page.items.map((item) => [item.id, item.title])).toEqual([[a, 'For acme']]);
    expect(await titles('u1', globex)).toEqual(['For globex']);
    expect(await notifications.unreadCount('u1', acme)).toBe(1);
    expect(await notifications.counts('u1', globex)).toMatchObject({ unread: 1, unseen: 1, byType: { 'b.one': 1 } });

    // globex's notification is not acme's u1's: nothing changes.
    expect(await notifications.markRead('u1', [b], acme)).toBe(0);
    expect(await notifications.markOneRead('u1', b, acme)).toBe(false);
    expect(await notifications.archive('u1', b, acme)).toBe(false);
    expect(await notifications.markUnread('u1', b, acme)).toBe(false);
    expect((await notifications.markSeen('u1', [b], { requireOwned: true, ...acme })).missing).toBe(b);
    expect(await notifications.unreadCount('u1', globex)).toBe(1);

    expect(await notifications.markOneRead('u1', a, acme)).toBe(true);
    expect(await notifications.unreadCount('u1', acme)).toBe(0);
    expect(await notifications.unreadCount('u1', globex)).toBe(1);
    expect(await notifications.archive('u1', a, acme)).toBe(true);
    expect(await titles('u1', acme)).toEqual([]);
    expect(await titles('u1', globex)).toEqual(['For globex']);
    expect(await notifications.unarchive('u1', a, acme)).toBe(true);
    expect(await titles('u1', acme)).toEqual(['For acme']);
  });

  it('applies bulk changes, acks and actions within the tenant, and live to its sessions only', async () => {
    const [sessionA, sessionB] = [
      await TestClient.open(server.wsUrl, tokenFor('u2', { claims: { [CLAIM]: 'acme' } })),
      await TestClient.open(server.wsUrl, tokenFor('u2', { claims: { [CLAIM]: 'globex' } })),
    ];
    const actions = [{ id: 'approve', label: 'Approve' }];
    const sentA = await notifications.send({ userIds: ['u2'], type: 'a.two', title: 'Approve?', actions }, acme);
    const sentB = await notifications.send({ userIds: ['u2'], type: 'b.two', title: 'Approve?', actions }, globex);
    await sessionA.next('notification');
    await sessionB.next('notification');

    expect(await notifications.acknowledge('u2', [sentA.id], acme)).toBe(1);
    expect(await notifications.readBacklog('u2', { afterCursor: '0', unacknowledgedOnly: true }, 10, acme)).toEqual([]);
    expect((await notifications.readBacklog('u2', { afterCursor: '0', unacknowledgedOnly: true }, 10, globex)).map((n) => n.id)).toEqual([
      sentB.id,
    ]);
    expect(await notifications.opening('u2', globex)).toMatchObject({ unreadCount: 1 });

    expect(await notifications.takeAction('u2', sentB.id, 'approve', acme)).toMatchObject({ kind: 'no-such-notification' });
    expect(await notifications.takeAction('u2', sentA.id, 'approve', acme)).toMatchObject({ kind: 'taken', actionId: 'approve' });
    expect(await notifications.markSeen('u2', null, globex)).toMatchObject({ count: 1 });
    expect(await notifications.markAllRead('u2', globex)).toBe(1);
    expect(await notifications.archiveAll('u2', { type: 'a.two', ...globex })).toBe(0);
    expect(await notifications.archiveAll('u2', { type: 'a.two', ...acme })).toBe(1);

    // Each session heard its own tenant's changes: A's action and archive, B's seen and read.
    await Promise.all([sessionA.roundTrip(), sessionB.roundTrip()]);
    expect(sessionA.all('state').map((frame) => frame.data.change)).toEqual(['actioned', 'archived']);
    expect(sessionB.all('state').map((frame) => frame.data.change)).toEqual(['seen', 'read']);
    await Promise.all([sessionA.close(), sessionB.close()]);
  });

  it('exports and erases the user of the tenant it names, with the tenant own ids', async () => {
    await twoInboxes('u3');
    const topics = server.app.get(TopicSubscriptions);
    await topics.subscribe('news', 'u3', acme);
    await topics.subscribe('news', 'u3', globex);

    const exported = await notifications.exportUserData('u3', acme);
    expect(exported.userId).toBe('u3');
    expect(exported.inbox.map((entry) => entry.title)).toEqual(['For acme']);
    expect(exported.topicSubscriptions).toEqual([expect.objectContaining({ topic: 'news' })]);
    expect(JSON.stringify(exported)).not.toMatch(STORED_KEY);

    await notifications.eraseUserData('u3', acme);
    expect((await notifications.exportUserData('u3', acme)).inbox).toEqual([]);
    const kept = await notifications.exportUserData('u3', globex);
    expect(kept.inbox.map((entry) => entry.title)).toEqual(['For globex']);
    expect(kept.topicSubscriptions).toHaveLength(1);
  });

  it("audits a tenant's sends, naming its senders as the tenant does", async () => {
    await notifications.send({ userIds: ['u4'], type: 'audit.a', title: 'Audited' }, { ...acme, senderId: 'auditor' });
    await notifications.send({ userIds: ['u4'], type: 'audit.b', title: 'Audited' }, { ...globex, senderId: 'auditor' });
    const page = await notifications.listSent({ limit: 10, senderId: 'auditor', ...acme });
    expect(page.items.map((item) => [item.type, item.senderId])).toEqual([['audit.a', 'auditor']]);
    const all = await notifications.listSent({ limit: 100, ...globex });
    expect(all.items.map((item) => item.type)).toContain('audit.b');
    expect(all.items.map((item) => item.type)).not.toContain('audit.a');
    expect(JSON.stringify(all)).not.toMatch(STORED_KEY);
  });

  it("keeps host code's held sends without a sender in their tenant: unlisted, unmovable, uncancellable elsewhere", async () => {
    const heldA = await notifications.send({ userIds: ['u5'], type: 'h.a', title: 'Held A', deliverAt: later() }, acme);
    const heldB = await notifications.send({ topic: 'ops', type: 'h.b', title: 'Held B', deliverAt: later() }, globex);

    const listedA = await notifications.listScheduled(null, acme);
    expect(listedA.items.map((item) => [item.id, item.userIds, item.topic])).toEqual([[heldA.id, ['u5'], null]]);
    const listedB = await notifications.listScheduled(null, globex);
    expect(listedB.items.map((item) => [item.id, item.userIds, item.topic])).toEqual([[heldB.id, null, 'ops']]);

    expect(await notifications.reschedule(null, heldB.id, later(), acme)).toBeUndefined();
    expect(await notifications.cancelScheduled(null, heldB.id, acme)).toBe(false);
    expect((await notifications.listScheduled(null, globex)).items.map((item) => item.deliverAt)).toEqual([listedB.items[0].deliverAt]);

    const moved = await notifications.reschedule(null, heldB.id, new Date(Date.now() + 7_200_000).toISOString(), globex);
    expect(moved).toMatchObject({ id: heldB.id, topic: 'ops' });
    expect(await notifications.cancelScheduled(null, heldA.id, acme)).toBe(true);
    expect((await notifications.listScheduled(null, acme)).items).toEqual([]);
    expect((await notifications.listScheduled(null, globex)).items).toHaveLength(1);
  });

  it("reads and replaces preferences, and snoozes, for the tenant's user only", async () => {
    const { a, b } = await twoInboxes('u7');
    const preferences = server.app.get(PreferencesService);
    await preferences.set('u7', { types: { 'a.*': { email: false } } }, acme);
    expect((await preferences.get('u7', acme)).types).toEqual({ 'a.*': { email: false } });
    expect((await preferences.get('u7', globex)).types).toEqual({});
    await expect(preferences.get('u7')).rejects.toThrow(/tenantId must be/);

    const snoozes = server.app.get(Snoozes);
    const until = later();
    expect(await snoozes.snooze('u7', b, until, acme)).toBe(false);
    expect(await snoozes.snooze('u7', a, until, acme)).toBe(true);
    await expect(snoozes.snooze('u7', b, until)).rejects.toThrow(/tenantId must be/);
    expect(await titles('u7', acme)).toEqual([]);
    expect(await titles('u7', globex)).toEqual(['For globex']);
  });

  it('refuses every call without a tenant, changing nothing', async () => {
    const { a } = await twoInboxes('u6');
    const noTenant = /tenantId must be/;
    const calls: Array<() => Promise<unknown>> = [
      () => notifications.list('u6', { limit: 10 }),
      () => notifications.unreadCount('u6'),
      () => notifications.counts('u6'),
      () => notifications.markRead('u6', [a]),
      () => notifications.markOneRead('u6', a),
      () => notifications.markAllRead('u6'),
      () => notifications.markSeen('u6', null),
      () => notifications.archive('u6', a),
      () => notifications.archiveAll('u6'),
      () => notifications.takeAction('u6', a, 'approve'),
      () => notifications.acknowledge('u6', [a]),
      () => notifications.readBacklog('u6', { afterCursor: '0' }, 10),
      () => notifications.opening('u6'),
      () => notifications.listScheduled(null),
      () => notifications.reschedule(null, a, later()),
      () => notifications.cancelScheduled(null, a),
      () => notifications.listSent({ limit: 10 }),
      () => notifications.exportUserData('u6'),
      () => notifications.eraseUserData('u6'),
    ];
    for (const call of calls) await expect(call()).rejects.toThrow(noTenant);
    await expect(notifications.list('u6', { limit: 10, tenantId: '' })).rejects.toThrow(noTenant);
    expect(await notifications.counts('u6', acme)).toMatchObject({ unread: 1, unseen: 1 });
    expect(await titles('u6', acme)).toEqual(['For acme']);
  });

  it('reads a tenant never seen as having nothing, and numbers it only when something is stored', async () => {
    const initech = { tenantId: 'initech-never-seen' };
    const numbered = async () =>
      (await server.app.get(DataSource).query('SELECT tenant_id AS "tenantId" FROM notification_tenants')).map(
        (row: { tenantId: string }) => row.tenantId,
      );
    expect((await notifications.list('u1', { limit: 10, ...initech })).items).toEqual([]);
    expect(await notifications.counts('u1', initech)).toMatchObject({ unread: 0, unseen: 0 });
    expect(await notifications.opening('u1', initech)).toEqual({
      unreadCount: 0,
      unseenCount: 0,
      latestCursor: '0',
      missingBroadcast: false,
    });
    expect(await notifications.markAllRead('u1', initech)).toBe(0);
    expect(await notifications.acknowledge('u1', ['0193a4f2-0000-7000-8000-000000000000'], initech)).toBe(0);
    expect((await notifications.exportUserData('u1', initech)).inbox).toEqual([]);
    expect((await notifications.listScheduled('boss', initech)).items).toEqual([]);
    expect((await notifications.listSent({ limit: 10, senderId: 'boss', ...initech })).items).toEqual([]);
    expect((await server.app.get(PreferencesService).get('u1', initech)).types).toEqual({});
    await server.app.get(TopicSubscriptions).unsubscribe('news', 'u1', initech);
    expect(await numbered()).not.toContain(initech.tenantId);

    // A broadcast stores: the tenant gets its number, and its users their inboxes.
    await notifications.send({ broadcast: true, type: 'i.all', title: 'For initech' }, initech);
    expect(await numbered()).toContain(initech.tenantId);
    expect(await titles('u1', initech)).toEqual(['For initech']);
    expect(await titles('u1', acme)).not.toContain('For initech');
  });

  it('refuses a user id that does not fit with its tenant, naming it', async () => {
    const tenant = { tenantId: 't'.repeat(100) };
    await expect(notifications.list('u'.repeat(245), { limit: 10, ...tenant })).rejects.toThrow(/userId is too long for its tenant/);
    await expect(notifications.listScheduled('s'.repeat(245), tenant)).rejects.toThrow(/senderId is too long for its tenant/);
  });
});

describe('Tenant options without tenancy', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('refuses a tenantId as send does, and takes plain ids as before', async () => {
    const notifications = server.app.get(NotificationsService);
    const sent = await notifications.send({ userIds: ['u1'], type: 'a', title: 'One tenant' });
    const refused = /tenantId is given, but tenancy is not configured/;
    await expect(notifications.send({ userIds: ['u1'], type: 'a', title: 'x' }, acme)).rejects.toThrow(refused);
    await expect(notifications.list('u1', { limit: 10, ...acme })).rejects.toThrow(refused);
    await expect(notifications.markOneRead('u1', sent.id, acme)).rejects.toThrow(refused);
    await expect(notifications.listScheduled(null, acme)).rejects.toThrow(refused);
    await expect(notifications.exportUserData('u1', acme)).rejects.toThrow(refused);
    expect(await notifications.unreadCount('u1')).toBe(1);

    const held = await notifications.send({ userIds: ['u1'], type: 'a', title: 'Held', deliverAt: later() });
    expect((await notifications.listScheduled(null)).items.map((item) => item.id)).toEqual([held.id]);
    expect(await notifications.cancelScheduled(null, held.id)).toBe(true);
  });
});

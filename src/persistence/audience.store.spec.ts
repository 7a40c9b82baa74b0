import { DataSource } from 'typeorm';
import { AudienceStore } from './audience.store';
import { runSql } from './sql';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { notificationContent as content } from '../../test/support/notification-content';

const NOW = '2026-06-01T12:00:00.000Z';

describe(AudienceStore.name, () => {
  const store = new AudienceStore();
  let database: DataSource;

  beforeEach(async () => {
    database = await migratedSqliteDatabase();
  });
  afterEach(() => database.destroy());

  const inboxOf = async (notificationId: string) =>
    (await runSql(database.manager, `SELECT user_id FROM notification_recipients WHERE notification_id = ?`, [notificationId])).rows
      .map((row) => row.user_id as string)
      .sort();

  it('copies a topic into inboxes a page at a time, each subscriber once, whatever their id order', async () => {
    const users = Array.from({ length: 1201 }, (_, index) => `user-${index}`).concat(['Zed', 'émile', '😀']);
    for (const userId of users) await store.subscribe(database.manager, 'big', userId, NOW);
    await store.subscribe(database.manager, 'big', 'user-1', NOW);
    await store.subscribe(database.manager, 'other', 'stranger', NOW);
    expect(await store.countSubscribers(database.manager, 'big')).toBe(users.length);

    const notification = content('n-topic', { topic: 'big' });
    await store.insertNotification(database.manager, notification, null, { kind: 'topic', topic: 'big' }, null, false);
    const pages: number[] = [];
    const lock = await store.lockTopic(database.manager, 'big');
    let after: string | null = null;
    for (;;) {
      const page = await store.insertTopicPage(database.manager, notification, 'big', after, lock);
      if (page.length === 0) break;
      pages.push(page.length);
      after = page[page.length - 1].userId;
    }
    expect(pages).toEqual([500, 500, 204]);
    expect(await inboxOf('n-topic')).toEqual([...users].sort());
  });

  it('claims a broadcast for connected users once, leaving out those who archived it', async () => {
    const broadcast = content('n-all');
    await store.insertNotification(database.manager, broadcast, null, { kind: 'broadcast' }, null, false);
    const first = await store.claimBroadcast(database.manager, broadcast, ['a', 'b']);
    await runSql(database.manager, `UPDATE notification_recipients SET archived_at = ? WHERE user_id = 'b'`, [NOW]);
    const second = await store.claimBroadcast(database.manager, broadcast, ['a', 'b', 'c']);
    const ofA = (claim: typeof first) => claim.recipients.find((recipient) => recipient.userId === 'a');
    expect(ofA(second)).toEqual(ofA(first));
    expect(second.recipients.map((recipient) => recipient.userId).sort()).toEqual(['a', 'c']);
    expect([first.created, second.created]).toEqual([2, 1]);
    expect(await inboxOf('n-all')).toEqual(['a', 'b', 'c']);
  });

  it('gives a newcomer the live broadcasts they miss, never expired or held ones', async () => {
    await store.insertNotification(database.manager, content('live'), null, { kind: 'broadcast' }, null, false);
    const expired = content('expired', { expiresAt: '2026-06-01T11:30:00.000Z' });
    await store.insertNotification(database.manager, expired, null, { kind: 'broadcast' }, null, false);
    const held = content('held');
    await store.insertNotification(database.manager, held, null, { kind: 'broadcast' }, '2026-06-02T00:00:00.000Z', true);

    expect(await store.hasMissingBroadcast(database.manager, 'newcomer', NOW)).toBe(true);
    expect(await store.materializeBroadcasts(database.manager, 'newcomer', NOW)).toBe(1);
    expect(await store.hasMissingBroadcast(database.manager, 'newcomer', NOW)).toBe(false);
    expect(await store.materializeBroadcasts(database.manager, 'newcomer', NOW)).toBe(0);
    expect(await inboxOf('live')).toEqual(['newcomer']);
  });

  it('releases a due notification once, with the audience it was held for', async () => {
    const audience = { kind: 'users' as const, userIds: ['u1', 'u2'] };
    await store.insertNotification(database.manager, content('due'), 's', audience, '2026-06-01T11:59:00.000Z', true);
    await store.insertNotification(database.manager, content('later'), 's', audience, '2026-06-01T12:01:00.000Z', true);
    expect(await store.findDue(database.manager, NOW, 10)).toEqual(['due']);
    expect(await store.release(database.manager, 'later', NOW)).toBeUndefined();
    expect(await store.release(database.manager, 'due', NOW)).toEqual({ content: content('due'), audience });
    expect(await store.release(database.manager, 'due', NOW)).toBeUndefined();
    expect(await store.findDue(database.manager, NOW, 10)).toEqual([]);
  });

  it('releases nothing that was moved or cancelled after it was found due', async () => {
    const audience = { kind: 'users' as const, userIds: ['u1'] };
    await store.insertNotification(database.manager, content('moved'), 's', audience, '2026-06-01T11:59:00.000Z', true);
    await store.insertNotification(database.manager, content('cancelled'), 's', audience, '2026-06-01T11:59:00.000Z', true);
    expect(await store.findDue(database.manager, NOW, 10)).toEqual(['moved', 'cancelled']);
    await runSql(database.manager, `UPDATE notifications SET deliver_at = '2026-06-01T13:00:00.000Z' WHERE id = 'moved'`);
    await runSql(database.manager, `DELETE FROM notifications WHERE id = 'cancelled'`);
    expect(await store.release(database.manager, 'moved', NOW)).toBeUndefined();
    expect(await store.release(database.manager, 'cancelled', NOW)).toBeUndefined();
  });

  it('deletes expired notifications with their inbox rows, in bounded batches', async () => {
    for (const id of ['x1', 'x2', 'x3']) {
      const expiring = content(id, { expiresAt: '2026-06-01T11:59:59.000Z' });
      await store.insertNotification(database.manager, expiring, null, { kind: 'broadcast' }, null, false);
      await store.claimBroadcast(database.manager, expiring, ['a', 'b']);
    }
    await store.insertNotification(database.manager, content('kept'), null, { kind: 'broadcast' }, null, false);
    expect(await store.deleteExpired(database.manager, NOW, 2)).toBe(2);
    expect(await store.deleteExpired(database.manager, NOW, 2)).toBe(1);
    expect(await store.deleteExpired(database.manager, NOW, 2)).toBe(0);
    const { rows } = await runSql(database.manager, `SELECT id FROM notifications`);
    expect(rows.map((row) => row.id)).toEqual(['kept']);
    expect(Number((await runSql(database.manager, `SELECT COUNT(*) AS n FROM notification_recipients`)).rows[0].n)).toBe(0);
  });
});

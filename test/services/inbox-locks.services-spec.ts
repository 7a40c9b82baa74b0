import { DataSource, EntityManager } from 'typeorm';
import { AudienceStore } from '../../src/persistence/audience.store';
import { NotificationContent } from '../../src/model/notification.view';
import { NotificationsStore, StoredRecipient } from '../../src/persistence/notifications.store';
import { storeDirectSend } from '../../src/persistence/direct-send.postgres';
import { UnitOfWork } from '../../src/persistence/unit-of-work';
import { notificationContent } from '../support/notification-content';
import { eventually, uniqueUser } from './support/cluster';
import { createDatabase, migratedDataSource } from './support/services';

/**
 * Every way an inbox row is written on PostgreSQL waits for a transaction that holds the
 * same user's inbox, so that cursor order is commit order, and reports the cursor that
 * transaction committed as its previous one (docs/scale-out.md, "Cursors stay gapless").
 */
describe('Inbox locks on PostgreSQL', () => {
  const inbox = new NotificationsStore();
  const audiences = new AudienceStore();
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let dataSource: DataSource;
  let sequence = 0;

  const notification = (overrides: Partial<NotificationContent> = {}) => notificationContent(`n-${++sequence}`, overrides);

  beforeAll(async () => {
    database = await createDatabase();
    dataSource = await migratedDataSource(database.url);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Backends of this database waiting for an advisory lock. */
  const waitingForInboxLock = async () =>
    Number(
      (
        await dataSource.query(
          `SELECT COUNT(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`,
        )
      )[0].waiting,
    );

  /**
   * A direct send to `userId` that has inserted its row and not committed yet; then `write`
   * in a transaction of its own. Returns the direct send's cursor and what `write` returned,
   * after checking that `write` waited for the direct send to commit.
   */
  async function whileAnotherSendHolds<T>(
    userId: string,
    write: (manager: EntityManager) => Promise<T>,
    run: (write: (manager: EntityManager) => Promise<T>) => Promise<T> = (work) => dataSource.transaction(work),
  ) {
    const holder = dataSource.createQueryRunner();
    await holder.startTransaction();
    const direct = notification();
    await audiences.insertNotification(holder.manager, direct, null, { kind: 'users', userIds: [userId] }, null, false);
    const [held] = await inbox.insertRecipients(holder.manager, direct, [userId]);
    let finished = false;
    const writing = run(write).finally(() => (finished = true));
    try {
      await eventually(waitingForInboxLock, (waiting) => waiting === 1, 'the second writer to wait for the inbox lock');
      expect(finished).toBe(false);
      await holder.commitTransaction();
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    return { held, written: await writing };
  }

  const expectAfter = (held: StoredRecipient, written: StoredRecipient | undefined) => {
    expect(Number(written!.cursor)).toBeGreaterThan(Number(held.cursor));
    expect(written!.previousCursor).toBe(held.cursor);
  };

  it('makes a direct send wait for another send to the same user', async () => {
    const userId = uniqueUser('direct');
    const { held, written } = await whileAnotherSendHolds(userId, async (manager) => {
      const content = notification();
      await audiences.insertNotification(manager, content, null, { kind: 'users', userIds: [userId] }, null, false);
      return inbox.insertRecipients(manager, content, [userId]);
    });
    expectAfter(held, written[0]);
  });

  it('makes a one-round-trip send wait, and reads the previous cursor and unread count after the wait', async () => {
    const userId = uniqueUser('one-round-trip');
    const unitOfWork = new UnitOfWork(dataSource);
    // Its statements share one message: the insert's snapshot must still come after the lock.
    const content = notification({ title: `it's a \\ "quoted" title; DROP TABLE notifications; --` });
    const { held, written } = await whileAnotherSendHolds(
      userId,
      async () => undefined,
      () => storeDirectSend(unitOfWork, content, 'sender', [userId], null, [userId], new Date().toISOString()),
    );
    expectAfter(held, written!.recipients[0]);
    expect(written!.unread.get(userId)).toEqual({ count: 2, unseen: 2 });
    const [stored] = await dataSource.query(`SELECT title, sender_id FROM notifications WHERE id = $1`, [content.id]);
    expect(stored).toEqual({ title: content.title, sender_id: 'sender' });
  });

  it('makes a topic page wait, and gives each subscriber their previous cursor', async () => {
    const userId = uniqueUser('topic');
    const topic = uniqueUser('topic');
    await audiences.subscribe(dataSource.manager, topic, userId, new Date().toISOString());
    const { held, written } = await whileAnotherSendHolds(userId, async (manager) => {
      const content = notification({ topic });
      await audiences.insertNotification(manager, content, null, { kind: 'topic', topic }, null, false);
      const lock = await audiences.lockTopic(manager, topic);
      return audiences.insertTopicPage(manager, content, topic, null, lock);
    });
    expect(written.map((recipient) => recipient.userId)).toEqual([userId]);
    expectAfter(held, written[0]);
  });

  it('makes a broadcast claim wait, and gives each user their previous cursor', async () => {
    const userId = uniqueUser('claim');
    const broadcast = notification();
    await audiences.insertNotification(dataSource.manager, broadcast, null, { kind: 'broadcast' }, null, false);
    const { held, written } = await whileAnotherSendHolds(
      userId,
      async (manager) => (await audiences.claimBroadcast(manager, broadcast, [userId])).recipients,
    );
    expectAfter(held, written[0]);
    // Claimed again (the user was already given it): the same cursor and predecessor, nothing created.
    expect(await audiences.claimBroadcast(dataSource.manager, broadcast, [userId])).toEqual({ recipients: written, created: 0 });
  });

  it('makes a broadcast catch-up wait for another send to the same user', async () => {
    const userId = uniqueUser('catch-up');
    const broadcast = notification();
    await audiences.insertNotification(dataSource.manager, broadcast, null, { kind: 'broadcast' }, null, false);
    const { held } = await whileAnotherSendHolds(userId, (manager) =>
      audiences.materializeBroadcasts(manager, userId, new Date().toISOString()),
    );
    const [{ cursor }] = await dataSource.query(`SELECT cursor FROM notification_recipients WHERE user_id = $1 AND notification_id = $2`, [
      userId,
      broadcast.id,
    ]);
    expect(Number(cursor)).toBeGreaterThan(Number(held.cursor));
  });
});

import { DataSource } from 'typeorm';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { notificationContent as content } from '../../test/support/notification-content';
import { AudienceStore } from '../persistence/audience.store';
import { runSql } from '../persistence/sql';
import { HeldNotificationsContributor } from './held-notifications.contributor';

const NOW = '2026-06-01T12:00:00.000Z';
const DUE = '2026-06-01T11:59:00.000Z';

describe(HeldNotificationsContributor.name, () => {
  const store = new AudienceStore();
  let database: DataSource;

  beforeEach(async () => {
    database = await migratedSqliteDatabase();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await database.destroy();
  });

  /**
   * Erases `userId` while the release of both held sends commits between the erasure's read and
   * its write, as it may on PostgreSQL (here: run just before the erasure's first write).
   */
  async function eraseRacingTheRelease(userId: string): Promise<void> {
    await database.transaction(async (manager) => {
      const runner = manager.queryRunner!;
      const query = runner.query.bind(runner);
      let released = false;
      jest.spyOn(runner, 'query').mockImplementation(async (text: string, ...rest: unknown[]) => {
        if (!released && /^\s*(UPDATE|DELETE)/.test(text)) {
          released = true;
          for (const id of ['narrowed', 'emptied']) await store.release(manager, id, NOW);
        }
        return (query as (...args: unknown[]) => Promise<unknown>)(text, ...rest);
      });
      await new HeldNotificationsContributor().eraseBatch(manager, userId, null, 100);
    });
  }

  it('neither holds again nor deletes a send the release took between its read and its write', async () => {
    await store.insertNotification(database.manager, content('narrowed'), 's', { kind: 'users', userIds: ['gone', 'kept'] }, DUE, true);
    await store.insertNotification(database.manager, content('emptied'), 's', { kind: 'users', userIds: ['gone'] }, DUE, true);
    await eraseRacingTheRelease('gone');
    const { rows } = await runSql(database.manager, `SELECT id, pending_audience AS "pending" FROM notifications ORDER BY id`);
    // Released: still there, and not held again (which would release it a second time).
    expect(rows).toEqual([
      { id: 'emptied', pending: null },
      { id: 'narrowed', pending: null },
    ]);
    expect(await store.findDue(database.manager, NOW, 10)).toEqual([]);
  });
});

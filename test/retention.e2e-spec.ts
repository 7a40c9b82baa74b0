import { DataSource } from 'typeorm';
import { RevocationEntity } from '../src/persistence/entities/revocation.entity';
import { SWEEP_WINDOW, RetentionWorker } from '../src/workers/retention.worker';
import { request } from './support/http';
import { DAY_MS, storedEntries, storedNotificationIds, storeNotification } from './support/stored-notifications';
import { startServer, TestServer } from './support/test-server';
import { tokenFor } from './support/tokens';

const HOUR_MS = 60 * 60 * 1000;

/**
 * RETENTION_DAYS: read or archived inbox entries older than that are deleted, and so are
 * notifications that old left with no recipient; nothing unread and unexpired ever is. The
 * service suite runs this spec again on PostgreSQL.
 */
describe('Retention', () => {
  let server: TestServer;
  let dataSource: DataSource;
  const sweep = () => server.app.get(RetentionWorker).sweep();
  const old = 40 * DAY_MS;

  beforeAll(async () => {
    server = await startServer({ env: { RETENTION_DAYS: '30', JWT_MAX_AGE_SECONDS: '3600' } });
    dataSource = server.app.get(DataSource);
  });
  afterAll(() => server.close());

  it('deletes old read and archived entries, keeps unread ones and recent ones, and notifications still held by someone', async () => {
    const shared = await storeNotification(dataSource, {
      ageMs: old,
      entries: [{ userId: 'ret-read', read: true }, { userId: 'ret-archived', archived: true }, { userId: 'ret-unread' }],
    });
    const acked = await storeNotification(dataSource, { ageMs: old, entries: [{ userId: 'ret-acked', delivered: true }] });
    const recent = await storeNotification(dataSource, { ageMs: 29 * DAY_MS, entries: [{ userId: 'ret-read', read: true }] });
    const readOnly = await storeNotification(dataSource, { ageMs: old, entries: [{ userId: 'ret-read', read: true }] });

    expect(await sweep()).toMatchObject({ inboxEntries: 3, notifications: 1 });

    expect(await storedEntries(dataSource)).toEqual([`${shared}/ret-unread`, `${acked}/ret-acked`, `${recent}/ret-read`].sort());
    expect(await storedNotificationIds(dataSource)).toEqual([shared, acked, recent].sort());
    expect(await storedNotificationIds(dataSource)).not.toContain(readOnly);
    // What stays is still there for its user, unread.
    const inbox = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('ret-unread') });
    expect(inbox.body.items).toEqual([expect.objectContaining({ id: shared, readAt: null })]);
    await clear();
  });

  it('keeps held notifications and live broadcasts, which have no entries by design, and deletes an old send that reached nobody', async () => {
    const deliverAt = new Date(Date.now() + DAY_MS).toISOString();
    const held = await storeNotification(dataSource, { ageMs: old, held: { deliverAt, audience: { kind: 'users', userIds: ['later'] } } });
    const broadcast = await storeNotification(dataSource, {
      ageMs: old,
      audience: 'broadcast',
      entries: [{ userId: 'ret-seen', read: true }],
    });
    // A topic send that found no subscriber.
    await storeNotification(dataSource, { ageMs: old, audience: 'topic', topic: 'nobody-listens' });

    expect(await sweep()).toMatchObject({ inboxEntries: 0, notifications: 1 });

    expect(await storedNotificationIds(dataSource)).toEqual([held, broadcast].sort());
    // The broadcast's read entry stays: without it, the user's next listing would bring it back unread.
    const seen = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('ret-seen') });
    expect(seen.body.items).toEqual([expect.objectContaining({ id: broadcast, readAt: expect.any(String) })]);
    // And a user who never connected still gets it.
    const newcomer = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('ret-newcomer') });
    expect(newcomer.body.items).toEqual([expect.objectContaining({ id: broadcast, readAt: null })]);
    await clear();
  });

  it('goes through more entries than one transaction looks at', async () => {
    const users = Array.from({ length: SWEEP_WINDOW * 2 + 10 }, (_, index) => `bulk-${String(index).padStart(5, '0')}`);
    // Every seventh user left it unread: kept, wherever the windows fall.
    const id = await storeNotification(dataSource, {
      ageMs: old,
      entries: users.map((userId, index) => ({ userId, read: index % 7 !== 0 })),
    });
    await storeNotification(dataSource, { ageMs: old + HOUR_MS, entries: users.map((userId) => ({ userId, archived: true })) });

    const result = await sweep();

    const unread = users.filter((_, index) => index % 7 === 0);
    expect(result).toMatchObject({ inboxEntries: users.length * 2 - unread.length, notifications: 1 });
    expect(await storedEntries(dataSource)).toEqual(unread.map((userId) => `${id}/${userId}`).sort());
    expect(await storedNotificationIds(dataSource)).toEqual([id]);
    await clear();
  });

  it('deletes a revocation once no token from before it can be valid (JWT_MAX_AGE_SECONDS), and refuses tokens older than that', async () => {
    const revocations = dataSource.getRepository(RevocationEntity);
    const revokedAt = (ageMs: number) => new Date(Date.now() - ageMs).toISOString();
    await revocations.insert([
      { userId: 'spent', revokedBefore: revokedAt(2 * HOUR_MS) },
      { userId: 'recent', revokedBefore: revokedAt(30 * 60_000) },
    ]);

    expect(await sweep()).toMatchObject({ revocations: 1 });

    expect((await revocations.find()).map((row) => row.userId)).toEqual(['recent']);
    const issuedAt = Math.floor((Date.now() - 2 * HOUR_MS) / 1000);
    const tooOld = tokenFor('spent', { claims: { iat: issuedAt }, expiresIn: 10 * 3600 });
    expect((await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tooOld })).status).toBe(401);
    expect((await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor('spent') })).status).toBe(200);
  });

  it('deletes cursor marks older than it keeps, but the newest of them, which still bounds an older `since`', async () => {
    const at = (ageMs: number) => new Date(Date.now() - ageMs).toISOString();
    // Literal values: the services suite runs this spec on PostgreSQL, whose placeholders differ.
    await dataSource.query(`INSERT INTO notification_cursor_marks (at, cursor) VALUES
      ('${at(old)}', 9001), ('${at(35 * DAY_MS)}', 9002), ('${at(DAY_MS)}', 9003)`);
    await sweep();
    const rows: Array<{ cursor: string | number }> = await dataSource.query(
      'SELECT cursor FROM notification_cursor_marks WHERE cursor >= 9001 ORDER BY cursor',
    );
    expect(rows.map((row) => Number(row.cursor))).toEqual([9002, 9003]);
    await dataSource.query('DELETE FROM notification_cursor_marks WHERE cursor >= 9001');
  });

  async function clear(): Promise<void> {
    await dataSource.query('DELETE FROM notification_recipients');
    await dataSource.query('DELETE FROM notifications');
  }
});

describe('Retention, off by default', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('keeps old read entries, notifications without recipients and revocations', async () => {
    const dataSource = server.app.get(DataSource);
    const id = await storeNotification(dataSource, { ageMs: 400 * DAY_MS, entries: [{ userId: 'keeper', read: true }] });
    const orphan = await storeNotification(dataSource, { ageMs: 400 * DAY_MS });
    await dataSource
      .getRepository(RevocationEntity)
      .insert({ userId: 'kept', revokedBefore: new Date(Date.now() - 400 * DAY_MS).toISOString() });

    expect(await server.app.get(RetentionWorker).sweep()).toEqual({ inboxEntries: 0, notifications: 0, revocations: 0 });

    expect(await storedEntries(dataSource)).toEqual([`${id}/keeper`]);
    expect(await storedNotificationIds(dataSource)).toEqual([id, orphan].sort());
    expect(await dataSource.getRepository(RevocationEntity).count()).toBe(1);
  });
});

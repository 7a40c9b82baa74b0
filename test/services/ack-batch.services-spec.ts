import { NotificationsService } from '../../src/notifications/notifications.service';
import { request, send } from '../support/http';
import { startServer, TestServer } from '../support/test-server';
import { senderToken, tokenFor } from '../support/tokens';
import { createDatabase } from './support/services';

/**
 * The acks of every session are stored together (AckBatch). On PostgreSQL an id its text type
 * cannot hold (U+0000) fails the statement; that must fail its own ack only, not the other
 * users' acks of the same batch (audit finding 1). Frames refuse such ids before they get
 * here (test/ids.e2e-spec.ts); host code calling the service may still pass one.
 */
describe('A batch of acks on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let server: TestServer;
  let notifications: NotificationsService;

  beforeAll(async () => {
    database = await createDatabase();
    server = await startServer({ database: { url: database.url, path: '', remove: database.drop } });
    notifications = server.app.get(NotificationsService);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const deliveredAt = async (userId: string) =>
    (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items.map(
      (item: { deliveredAt: string | null }) => item.deliveredAt,
    );

  it("stores every other user's ack when one ack of the batch holds a NUL byte", async () => {
    const alice = (await send(server.baseUrl, senderToken(), { userIds: ['batch-alice'] })).body.id;
    const bob = (await send(server.baseUrl, senderToken(), { userIds: ['batch-bob'] })).body.id;
    // Called in one tick, the three join one batch.
    const outcomes = await Promise.allSettled([
      notifications.acknowledge('batch-alice', [alice]),
      notifications.acknowledge('batch-mallory', ['x\u0000']),
      notifications.acknowledge('batch-bob', [bob]),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 1 });
    expect(await deliveredAt('batch-alice')).toEqual([expect.any(String)]);
    expect(await deliveredAt('batch-bob')).toEqual([expect.any(String)]);
  });
});

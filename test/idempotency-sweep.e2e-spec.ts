import { DataSource, Repository } from 'typeorm';
import { IdempotencyKeyEntity } from '../src/persistence/entities/idempotency-key.entity';
import { ExpiryCleanupWorker } from '../src/workers/expiry-cleanup.worker';
import { send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken } from './support/tokens';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Idempotency keys answer repeats for 24 h; after that they are dead weight, and every keyed
 * send added one for good (audit finding 10). The expiry worker deletes them, in batches.
 * The service suite runs this spec again on PostgreSQL.
 */
describe('Idempotency keys past the 24 h window', () => {
  let server: TestServer;
  let keys: Repository<IdempotencyKeyEntity>;
  const sender = senderToken('sweep-sender');
  const keyedSend = (key: string) => send(server.baseUrl, sender, { userIds: ['sweep-recipient'] }, { 'idempotency-key': key });

  beforeAll(async () => {
    server = await startServer();
    keys = server.app.get(DataSource).getRepository(IdempotencyKeyEntity);
  });
  afterAll(() => server.close());

  it('are deleted by the expiry worker, more than one batch of them, while keys inside the window stay', async () => {
    const fresh = await keyedSend('fresh-key');
    const aging = await keyedSend('aging-key');
    await keys.update({ key: 'aging-key' }, { createdAt: new Date(Date.now() - 23 * HOUR_MS).toISOString() });
    const expired = new Date(Date.now() - 24 * HOUR_MS - 60_000).toISOString();
    const old = Array.from({ length: 1201 }, (_, index) => ({
      senderId: 'old-sender',
      key: `old-${index}`,
      response: '{}',
      createdAt: expired,
    }));
    await keys.insert(old.slice(0, 600));
    await keys.insert(old.slice(600));
    expect(await keys.count()).toBe(1203);

    await server.app.get(ExpiryCleanupWorker).removeExpired();

    expect((await keys.find({ order: { key: 'ASC' } })).map((row) => row.key)).toEqual(['aging-key', 'fresh-key']);
    expect((await keyedSend('fresh-key')).body).toEqual(fresh.body);
    expect((await keyedSend('aging-key')).body).toEqual(aging.body);
  });
});

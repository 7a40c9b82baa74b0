import { DataSource } from 'typeorm';
import { WebSocket } from 'ws';
import { CountingLogger } from '../../test/support/counting-logger';
import { migratedSqliteDatabase } from '../../test/support/module-database';
import { Principal } from '../auth/principal';
import { RevocationService } from '../auth/revocation.service';
import { ResolvedOptions } from '../config/resolved-options';
import { InProcessDeliveryBus } from '../delivery/in-process-delivery-bus';
import { UnitOfWork } from '../persistence/unit-of-work';
import { Session } from './session';
import { SessionRegistry } from './session-registry';
import { SessionRevocationCheck } from './session-revocation-check';

const USERS = 1200;
const SESSIONS_PER_USER = 3;

describe(SessionRevocationCheck.name, () => {
  let database: DataSource;
  let queries: CountingLogger;
  let registry: SessionRegistry;
  let revocations: RevocationService;
  let check: SessionRevocationCheck;
  const closes = new Map<string, number[]>();

  const principal = (userId: string): Principal => ({
    userId,
    scopes: new Set(),
    expiresAt: Date.now() + 60_000,
    issuedAt: Date.now() - 60_000,
    claims: {},
  });
  const socketOf = (userId: string) => ({
    readyState: WebSocket.OPEN as number,
    bufferedAmount: 0,
    send: () => undefined,
    terminate: () => undefined,
    once: () => undefined,
    close(code: number) {
      closes.set(userId, [...(closes.get(userId) ?? []), code]);
      this.readyState = WebSocket.CLOSED;
    },
  });

  beforeEach(async () => {
    queries = new CountingLogger();
    database = await migratedSqliteDatabase({ logging: true, logger: queries });
    registry = new SessionRegistry();
    for (let index = 0; index < USERS; index++) {
      for (let tab = 0; tab < SESSIONS_PER_USER; tab++)
        registry.add(new Session(socketOf(`user-${index}`), principal(`user-${index}`), undefined));
    }
    revocations = new RevocationService(
      new UnitOfWork(database),
      new InProcessDeliveryBus(),
      new ResolvedOptions({ revocationCacheMs: 60_000 }),
    );
    check = new SessionRevocationCheck(registry, revocations);
    closes.clear();
  });
  afterEach(() => database.destroy());

  const revokeInTheDatabase = (userId: string) =>
    database.query('INSERT INTO notification_revocations (user_id, revoked_before) VALUES (?, ?)', [userId, new Date().toISOString()]);

  it('closes with 4403 every session of the users revoked in the database, reading a batch of users per query', async () => {
    await revokeInTheDatabase('user-7');
    await revokeInTheDatabase('user-1100');
    queries.count = 0;
    await check.recheckAll();

    expect(Object.fromEntries(closes)).toEqual({ 'user-7': [4403, 4403, 4403], 'user-1100': [4403, 4403, 4403] });
    // 1,200 users with 3,600 sessions: three queries of at most 500 users, not one per session or per user.
    expect(queries.count).toBe(3);
  });

  it('reads a user at most once per interval, unless told to read everyone again (a resync)', async () => {
    const users = registry.userIds();
    await revocations.refresh(users);
    queries.count = 0;
    await revocations.refresh(users);
    expect(queries.count).toBe(0);
    await check.recheckAll();
    expect(queries.count).toBe(3);
  });
});

import { INestApplication } from '@nestjs/common';
import { Socket } from 'node:net';
import { UnitOfWork } from '../src/persistence/unit-of-work';
import { eventually } from './support/eventually';
import { scrape } from './support/prometheus';
import { request } from './support/http';
import {
  abandonAllAtOnce,
  countStatuses,
  RawAnswer,
  RawRequest,
  requestAllAtOnce,
  streamRequest,
  upgradeRequest,
} from './support/raw-requests';
import { SseTestClient } from './support/sse-client';
import { startServer, TestServer } from './support/test-server';
import { adminToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const CAP = 3;

/**
 * Holds SQLite's one connection with a read that waits for the returned `release()`. Work
 * that needs the database meanwhile (here each handshake's revocation lookup of a user not
 * seen before) waits behind it, as it does behind a slow query, and then goes on all at once.
 */
async function holdTheDatabase(app: INestApplication): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await new Promise<void>((holding) => {
    void app.get(UnitOfWork).read(async () => {
      holding();
      await released;
    });
  });
  return release;
}

/**
 * WS_MAX_SESSIONS_PER_USER under concurrency: handshakes that arrive together must not all
 * read the same count before any of them is registered.
 */
describe('The per-user session cap under concurrent handshakes', () => {
  let server: TestServer;
  const open: RawAnswer[] = [];

  /** The client ports of the connections the server has accepted, and of those it has seen close. */
  const accepted = new Set<number>();
  const closed = new Set<number>();

  beforeAll(async () => {
    server = await startServer({ env: { WS_MAX_SESSIONS_PER_USER: String(CAP) } });
    server.app.getHttpServer().on('connection', (socket: Socket) => {
      const port = socket.remotePort!;
      accepted.add(port);
      socket.once('close', () => closed.add(port));
    });
  });
  afterEach(() => {
    for (const { socket } of open.splice(0)) socket.destroy();
  });
  afterAll(() => server.close());

  const sessionsOf = (userId: string) =>
    request(server.baseUrl, 'GET', `/presence/${userId}`, {
      token: adminToken(),
    }).then((response) => response.body.sessions as number);
  const upgrades = (userId: string, count: number) =>
    Array.from({ length: count }, () => upgradeRequest(server.wsUrl, `/ws?access_token=${tokenFor(userId)}`));
  const streams = (userId: string, count: number, headers?: Record<string, string>) =>
    Array.from({ length: count }, () => streamRequest(server.baseUrl, tokenFor(userId), headers));

  /** Writes the requests in one tick while the database is held, and lets it go once the server has read them all. */
  const racing = async (requests: RawRequest[]) => {
    const release = await holdTheDatabase(server.app);
    try {
      const answers = await requestAllAtOnce(requests, {
        // Connected is not yet accepted: no request may wait in the listen backlog behind the probe below.
        beforeWriting: async (sockets) => {
          await eventually(async () => sockets.every((socket) => accepted.has(socket.localPort!)), Boolean);
        },
        afterWriting: async () => {
          // Answered without the database, so after the server has read the requests written before it.
          expect((await request(server.baseUrl, 'GET', '/health/live')).status).toBe(200);
          release();
        },
      });
      open.push(...answers);
      return answers;
    } finally {
      release();
    }
  };
  /** Upgrades whose checks are over, accepted or refused. */
  const handshakeCount = async () => {
    let count = 0;
    for (const [name, value] of await scrape(server.baseUrl)) if (name.startsWith('notifications_ws_handshakes_total')) count += value;
    return count;
  };
  const closeAll = async (userId: string) => {
    for (const { socket } of open.splice(0)) socket.destroy();
    await eventually(
      () => sessionsOf(userId),
      (sessions) => sessions === 0,
    );
  };

  it('admits exactly the cap of 20 upgrades written in one tick, refuses the rest with 429, and admits again after they close', async () => {
    expect(countStatuses(await racing(upgrades('ws-racer', 20)))).toEqual({
      101: CAP,
      429: 20 - CAP,
    });
    expect(await sessionsOf('ws-racer')).toBe(CAP);

    await closeAll('ws-racer');
    const again = await TestClient.open(server.wsUrl, tokenFor('ws-racer'));
    await again.close();
  });

  it('admits exactly the cap of 15 concurrent event streams and refuses the rest with 429', async () => {
    expect(countStatuses(await racing(streams('sse-racer', 15)))).toEqual({
      200: CAP,
      429: 15 - CAP,
    });
    expect(await sessionsOf('sse-racer')).toBe(CAP);

    await closeAll('sse-racer');
    const again = await SseTestClient.connect(server.baseUrl, tokenFor('sse-racer'));
    again.close();
  });

  it('counts upgrades and streams racing each other against one cap', async () => {
    const answers = await racing([...upgrades('mixed-racer', 10), ...streams('mixed-racer', 10)]);
    const admitted = answers.filter(({ status }) => status === 101 || status === 200);
    expect(admitted).toHaveLength(CAP);
    expect(answers.filter(({ status }) => status === 429)).toHaveLength(20 - CAP);
    expect(await sessionsOf('mixed-racer')).toBe(CAP);
  });

  it('leaks no slot when a handshake fails after the cap was checked: a bad Last-Event-ID, a client gone before its answer', async () => {
    // As many as the cap, so each of them holds a slot until its 400.
    const badCursor = await requestAllAtOnce(streams('leak-check', CAP, { 'last-event-id': 'not-a-cursor' }));
    open.push(...badCursor);
    expect(countStatuses(badCursor)).toEqual({ 400: CAP });
    await eventually(
      () => sessionsOf('leak-check'),
      (sessions) => sessions === 0,
    );

    // Clients that leave while their checks wait on the database. The server sees a stream's
    // client go at once, so its slot is taken for a response already closed.
    let release = await holdTheDatabase(server.app);
    try {
      const ports = await abandonAllAtOnce(streams('stream-gone', 2 * CAP));
      await eventually(async () => ports.every((port) => closed.has(port)), Boolean);
    } finally {
      release();
    }
    // Those checks end before the ones below take their slots (they wait on the same revocation lookup, and first).
    expect(countStatuses(await racing(upgrades('stream-gone', CAP + 1)))).toEqual({ 101: CAP, 429: 1 });

    // An upgrade's client is seen gone only when its 101 meets a reset (ws does not read the
    // socket during the handshake): its slot goes then.
    const handshakesBefore = await handshakeCount();
    release = await holdTheDatabase(server.app);
    try {
      await abandonAllAtOnce(upgrades('upgrade-gone', 2 * CAP));
    } finally {
      release();
    }
    await eventually(handshakeCount, (count) => count >= handshakesBefore + 2 * CAP);
    await eventually(
      () => sessionsOf('upgrade-gone'),
      (sessions) => sessions === 0,
    );
    expect(countStatuses(await racing(upgrades('upgrade-gone', CAP + 1)))).toEqual({ 101: CAP, 429: 1 });
  });
});

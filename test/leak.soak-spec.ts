import { SessionRegistry } from '../src/sessions/session-registry';
import { DeliveryBus } from '../src/delivery/delivery-bus';
import { startServer, TestServer } from './support/test-server';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const CYCLES = 10_000;
const PARALLEL = 10;
const USERS = 100;
/** Heap may differ by this much after 10,000 cycles (JIT, caches warmed at most once). */
const HEAP_MARGIN_BYTES = 8 * 1024 * 1024;

function collect(): number {
  const gc = (global as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with node --expose-gc (npm run test:soak)');
  for (let pass = 0; pass < 3; pass++) gc();
  return process.memoryUsage().heapUsed;
}

function listenerTotal(emitter: NodeJS.EventEmitter): number {
  return emitter.eventNames().reduce((total, name) => total + emitter.listenerCount(name), 0);
}

describe('Connect/disconnect cycles', () => {
  let server: TestServer;
  const tokens = Array.from({ length: USERS }, (_, index) => tokenFor(`cycler-${index}`));

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  async function cycle(count: number): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < count) {
          const client = await TestClient.open(server.wsUrl, tokens[next++ % USERS]);
          await client.close();
        }
      }),
    );
  }

  async function settled() {
    const registry = server.app.get(SessionRegistry);
    const bus = server.app.get<DeliveryBus>(DeliveryBus);
    // The server sees each close a moment after the client does.
    for (let attempt = 0; registry.size > 0 && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const httpServer = server.app.getHttpServer();
    return {
      heap: collect(),
      sessions: registry.size,
      users: registry.userCount,
      online: (await Promise.all(tokens.map((_, index) => bus.sessionCount(`cycler-${index}`)))).reduce((a, b) => a + b, 0),
      resources: process.getActiveResourcesInfo().filter((type) => type !== 'Timeout').length,
      httpListeners: listenerTotal(httpServer),
      processListeners: listenerTotal(process),
    };
  }

  it(`leaves heap, handles and listeners where they started after ${CYCLES} cycles`, async () => {
    await cycle(500); // warm up: JIT, pools, caches
    const before = await settled();
    await cycle(CYCLES);
    const after = await settled();
    // Figures for the record, not a timing assertion.
    console.log(
      `heap before ${(before.heap / 1e6).toFixed(1)} MB, after ${(after.heap / 1e6).toFixed(1)} MB, ` +
        `resources ${before.resources} → ${after.resources}, http listeners ${before.httpListeners} → ${after.httpListeners}`,
    );

    expect(after.sessions).toBe(0);
    expect(after.users).toBe(0);
    expect(after.online).toBe(0);
    expect(after.resources).toBeLessThanOrEqual(before.resources);
    expect(after.httpListeners).toBe(before.httpListeners);
    expect(after.processListeners).toBe(before.processListeners);
    expect(after.heap - before.heap).toBeLessThan(HEAP_MARGIN_BYTES);
  });
});

import { createTestDatabase, startServer, TestDatabase, TestServer } from './test-server';
import { TestClient } from './ws-client';

/**
 * The servers of a release-race spec, started before its tests and stopped after them: two
 * nodes on one PostgreSQL database when the service suite runs it there, else one node (two
 * nodes on one SQLite file would only fight over its lock). `clients` the spec opens are
 * closed with them.
 */
export function racingNodes(): { servers: TestServer[]; clients: TestClient[] } {
  let database: TestDatabase;
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  const postgres = Boolean(process.env.TEST_POSTGRES_ADMIN_URL);

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let node = 0; node < (postgres ? 2 : 1); node++) servers.push(await startServer({ database }));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await Promise.all(clients.map((client) => client.close()));
    for (const server of servers) await server.close();
    await database.remove();
  });
  return { servers, clients };
}

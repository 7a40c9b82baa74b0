import { request } from '../support/http';
import { startServer } from '../support/test-server';
import { createDatabase, REDIS_URL, startRedis } from './support/services';

describe('Health probes on PostgreSQL with a live Redis', () => {
  beforeAll(() => startRedis());

  it('reports the database and redis up when both answer', async () => {
    const database = await createDatabase();
    const server = await startServer({ database: { url: database.url, path: '', remove: database.drop }, env: { REDIS_URL } });
    try {
      const response = await request(server.baseUrl, 'GET', '/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
    } finally {
      await server.close();
      await database.drop();
    }
  });
});

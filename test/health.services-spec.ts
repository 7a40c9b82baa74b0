import { request } from './support/http';
import { startServer } from './support/test-server';

/** Needs the Redis of .ci/run on 127.0.0.1:6379. */
describe('Health probes with a live Redis', () => {
  it('reports redis up when it answers PING', async () => {
    const server = await startServer({ env: { REDIS_URL: 'redis://127.0.0.1:6379' } });
    try {
      const response = await request(server.baseUrl, 'GET', '/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
    } finally {
      await server.close();
    }
  });
});

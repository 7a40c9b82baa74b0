import { DataSource } from 'typeorm';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken } from './support/tokens';

describe('Health probes', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(() => server.close());

  it('answers 200 on liveness and readiness while the database answers', async () => {
    const ready = await request(server.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
    expect((await request(server.baseUrl, 'GET', '/health/live')).body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('answers 503 naming the database when it is unreachable; liveness stays 200', async () => {
    await server.app.get(DataSource).destroy();
    for (const path of ['/health/ready', '/health']) {
      const response = await request(server.baseUrl, 'GET', path);
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    }
    expect((await request(server.baseUrl, 'GET', '/health/live')).status).toBe(200);
  });

  it('checks Redis on /health/ready only: /health stays 200 while sends still succeed without Redis', async () => {
    const withDeadRedis = await startServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const ready = await request(withDeadRedis.baseUrl, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        info: { database: { status: 'up' } },
        error: { redis: { status: 'down', message: expect.any(String) } },
      });

      // The load balancer's probe: the database is the source of truth, so the node serves.
      const serving = await request(withDeadRedis.baseUrl, 'GET', '/health');
      expect(serving.status).toBe(200);
      expect(serving.body).toEqual({
        status: 'ok',
        info: { database: { status: 'up' } },
        error: {},
        details: { database: { status: 'up' } },
      });
      const sent = await send(withDeadRedis.baseUrl, senderToken(), { userIds: ['health-no-redis'] });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ recipients: 1 });
    } finally {
      await withDeadRedis.close();
    }
  });
});

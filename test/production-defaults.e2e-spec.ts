import { request } from './support/http';
import { startServer, TestServer } from './support/test-server';

/**
 * What a server started with NODE_ENV=production shows to anyone who can reach it: no API
 * documentation and no metrics unless the operator turns them on, and metrics then behind
 * their bearer token (docs/hardening.md, "Production defaults").
 */
describe('A production server', () => {
  const METRICS_TOKEN = 'scrape-me-please-0123456789';
  let bare: TestServer;
  let configured: TestServer;

  beforeAll(async () => {
    [bare, configured] = await Promise.all([
      startServer({ env: { NODE_ENV: 'production' } }),
      startServer({ env: { NODE_ENV: 'production', METRICS_TOKEN, DOCS_ENABLED: 'true' } }),
    ]);
  });
  afterAll(() => Promise.all([bare?.close(), configured?.close()]));

  it('serves neither /docs nor /metrics by default', async () => {
    for (const path of ['/docs', '/docs-json', '/metrics']) {
      expect({ path, status: (await request(bare.baseUrl, 'GET', path)).status }).toEqual({ path, status: 404 });
    }
    expect((await request(bare.baseUrl, 'GET', '/health')).status).toBe(200);
  });

  it('serves /metrics once METRICS_TOKEN is set, only to its bearer, and /docs once DOCS_ENABLED=true', async () => {
    expect((await request(configured.baseUrl, 'GET', '/metrics')).status).toBe(401);
    const scraped = await request(configured.baseUrl, 'GET', '/metrics', { token: METRICS_TOKEN });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toMatch(/^# TYPE notifications_sessions gauge$/m);
    expect((await request(configured.baseUrl, 'GET', '/docs')).status).toBe(200);
  });
});

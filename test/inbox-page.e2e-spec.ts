import { request } from './support/http';
import { startServer, TestServer } from './support/test-server';

// The page's behaviour in a browser is covered by test/inbox.browser-spec.ts (npm run test:browser).
describe('Inbox page (served by the standalone server)', () => {
  const servers: TestServer[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer({ env });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('serves the page at / with a strict content security policy, and its script and stylesheet', async () => {
    const server = await start();
    const page = await request(server.baseUrl, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.body).toContain('<script src="/inbox/inbox.js" defer></script>');
    expect(page.body).toContain('data-development-tokens="false"');
    const script = await request(server.baseUrl, 'GET', '/inbox/inbox.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('access_token');
    expect((await request(server.baseUrl, 'GET', '/inbox/inbox.css')).status).toBe(200);
    // The service worker that shows Web Push messages while no tab is open.
    const worker = await request(server.baseUrl, 'GET', '/inbox/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(worker.body).toContain('showNotification');
    expect(worker.body).toContain('notificationclick');
  });

  it('has no /dev/token unless the server runs on the development key', async () => {
    const server = await start();
    expect((await request(server.baseUrl, 'POST', '/dev/token', { body: { userId: 'alice' } })).status).toBe(404);
  });

  it('on the development key, mints tokens for the user picker that the API accepts', async () => {
    const server = await start({ JWT_SECRET: '' });
    expect((await request(server.baseUrl, 'GET', '/')).body).toContain('data-development-tokens="true"');
    const minted = await request(server.baseUrl, 'POST', '/dev/token', { body: { userId: 'alice' } });
    expect(minted.status).toBe(200);
    const count = await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: minted.body.token });
    expect(count).toMatchObject({ status: 200, body: { count: 0 } });
    const refused = await request(server.baseUrl, 'POST', '/notifications', {
      token: minted.body.token,
      body: { userIds: ['bob'], type: 't', title: 'x' },
    });
    expect(refused.status).toBe(403);
    const sender = await request(server.baseUrl, 'POST', '/dev/token', { body: { userId: 'alice', send: true } });
    const sent = await request(server.baseUrl, 'POST', '/notifications', {
      token: sender.body.token,
      body: { userIds: ['bob'], type: 't', title: 'x' },
    });
    expect(sent.status).toBe(201);
    expect((await request(server.baseUrl, 'POST', '/dev/token', { body: { userId: '<script>' } })).status).toBe(400);
  });

  it('is off when INBOX_PAGE_ENABLED=false', async () => {
    const server = await start({ INBOX_PAGE_ENABLED: 'false' });
    expect((await request(server.baseUrl, 'GET', '/')).status).toBe(404);
  });
});

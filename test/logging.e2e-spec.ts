import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createServer } from '../src/server/create-server';
import { redactUrl } from '../src/server/logging';
import { loadServerSettings } from '../src/server/server-settings';
import { request } from './support/http';
import { temporaryDirectory } from './support/test-server';
import { TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Structured logs', () => {
  const directory = temporaryDirectory();
  const lines: string[] = [];
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const settings = loadServerSettings({
      JWT_SECRET: TEST_SECRET,
      DATABASE_URL: `sqlite:${directory.path}/logs.sqlite`,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    });
    app = await createServer(settings, undefined, { logDestination: { write: (line: string) => void lines.push(line) } });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    directory.remove();
  });

  const records = () => lines.map((line) => JSON.parse(line));
  const requestRecords = (path: string) => records().filter((record) => record.req?.url?.startsWith(path));

  it("writes one JSON line per request with its id, echoing the caller's X-Request-Id", async () => {
    const response = await request(baseUrl, 'GET', '/notifications/unread-count', {
      token: tokenFor('alice'),
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    const fresh = await request(baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor('alice') });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const logged = requestRecords('/notifications/unread-count');
    expect(logged.map((record) => record.req.id)).toEqual(['trace-abc-123', fresh.headers.get('x-request-id')]);
    expect(logged[0]).toMatchObject({ level: 30, res: { statusCode: 200 }, msg: 'request completed' });
  });

  it('logs only allowlisted headers, redacts access_token in URLs; never prints a token or a secret header', async () => {
    const headerToken = tokenFor('bob');
    const queryToken = tokenFor('carol');
    await request(baseUrl, 'GET', '/notifications', {
      token: headerToken,
      headers: { 'x-api-key': 'secret-api-key-1234', cookie: 'session=secret-cookie-5678', 'user-agent': 'logging-spec' },
    });
    await request(baseUrl, 'GET', `/notifications?limit=5&access_token=${queryToken}`);
    const socketToken = tokenFor('dave');
    const client = await TestClient.open(`ws://${baseUrl.slice('http://'.length)}`, socketToken);
    client.send('refresh', { token: 'not-a-jwt' });
    await client.waitForClose();

    const [withHeader] = records().filter((record) => record.req?.url === '/notifications');
    expect(withHeader.req.headers).toEqual({ host: expect.any(String), 'user-agent': 'logging-spec' });
    expect(requestRecords('/notifications?').map((record) => record.req.url)).toEqual(['/notifications?limit=5&access_token=[REDACTED]']);
    const everything = lines.join('\n');
    expect(everything).not.toContain('secret-api-key-1234');
    expect(everything).not.toContain('secret-cookie-5678');
    for (const token of [headerToken, queryToken, socketToken]) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.split('.')[2]); // not even the signature
    }
  });

  it("routes Nest's own logs through pino as JSON, and keeps probes and scrapes out", async () => {
    expect(records()).toEqual(expect.arrayContaining([expect.objectContaining({ context: 'NestApplication', msg: expect.any(String) })]));
    await request(baseUrl, 'GET', '/health/live');
    await request(baseUrl, 'GET', '/metrics');
    await request(baseUrl, 'GET', '/notifications/unread-count'); // 401, logged: a marker that the others were seen first
    expect(requestRecords('/notifications/unread-count').at(-1).res.statusCode).toBe(401);
    expect(requestRecords('/health')).toEqual([]);
    expect(requestRecords('/metrics')).toEqual([]);
  });
});

describe(redactUrl.name, () => {
  it('replaces token-like query values and leaves the rest', () => {
    expect(redactUrl('/ws?access_token=a.b.c&after=12')).toBe('/ws?access_token=[REDACTED]&after=12');
    expect(redactUrl('/x?a=1&token=t&ACCESS_TOKEN=u#f')).toBe('/x?a=1&token=[REDACTED]&ACCESS_TOKEN=[REDACTED]#f');
    expect(redactUrl('/notifications')).toBe('/notifications');
  });
});

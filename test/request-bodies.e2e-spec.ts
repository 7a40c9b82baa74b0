import { request } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

/** How the standalone server reads bodies before any route sees them (src/server/request-bodies.ts). */
describe('Request bodies', () => {
  let server: TestServer;
  const sender = senderToken();
  const post = (rawBody: string, contentType = 'application/json', token = sender) =>
    request(server.baseUrl, 'POST', '/notifications', { token, rawBody, headers: { 'content-type': contentType } });
  const inbox = async (userId: string) => (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it.each([
    ['a __proto__ key', '{"userIds":["b-proto"],"type":"t","title":"t","data":{"__proto__":{"isAdmin":true}}}', /prototype/],
    ['a constructor.prototype key', '{"userIds":["b-proto"],"type":"t","title":"t","data":{"constructor":{"prototype":{}}}}', /prototype/],
    ['a JSON string instead of an object', '"userIds"', /must be a JSON object/],
    ['malformed JSON', '{"userIds": [', /not valid JSON/],
  ])('answers 400 to %s, in Nest’s error shape, and stores nothing', async (_, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
    expect(await inbox('b-proto')).toEqual([]);
  });

  it('parses +json types and a charset parameter like application/json', async () => {
    const body = '{"userIds":["b-types"],"type":"t","title":"typed"}';
    expect((await post(body, 'application/merge-patch+json')).status).toBe(201);
    expect((await post(body, 'application/json; charset=utf-8')).status).toBe(201);
    expect(await inbox('b-types')).toHaveLength(2);
  });

  it('takes an empty body declared JSON as {}, so bodiless POSTs work', async () => {
    const response = await request(server.baseUrl, 'POST', '/notifications/read-all', {
      token: tokenFor('b-empty'),
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(response).toMatchObject({ status: 200, body: { count: 0 } });
  });

  it('lets the guards answer a body of another type: 401 without a token, 415 for a sender', async () => {
    expect((await post('hello', 'text/plain', '')).status).toBe(401);
    expect(await post('hello', 'text/plain')).toMatchObject({ status: 415, body: { statusCode: 415, error: 'Unsupported Media Type' } });
  });

  it('answers 413 in Nest’s error shape to a body over 64 KiB, before parsing it', async () => {
    const response = await post(`{"title":"${'x'.repeat(70 * 1024)}"}`);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
  });
});

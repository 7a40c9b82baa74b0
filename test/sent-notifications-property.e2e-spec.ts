import fc from 'fast-check';
import { isUserId } from '../src/model/user-id';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken } from './support/tokens';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Bytes as a query or path would carry them, every one percent-encoded. */
const percentEncoded = (bytes: Uint8Array) => Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** Values of any shape: valid ones, near misses, and bytes that are not even UTF-8. */
const valueText = fc.oneof(
  fc.constantFrom(
    'audit-sender',
    'test.event',
    'billing.*',
    '2026-12-01T00:00:00Z',
    '2026-12-01T00:00:00+02:00',
    '2026-12-01',
    '2026-02-30T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00Z',
    '01932c07-6a4f-7c4e-9b1a-1f2e3d4c5b6a',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '1',
    '100',
    '101',
    '0',
    '-1',
    '1e3',
    '',
    'x'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 30 }).map((text) => percentEncoded(Buffer.from(text))),
  fc
    .oneof(fc.uint8Array({ maxLength: 12 }), fc.constant(Uint8Array.from([0xed, 0xa0, 0x80])), fc.constant(Uint8Array.from([0])))
    .map(percentEncoded),
);

/**
 * The new query parameters and path segments, against random input: `GET /notifications/sent`
 * answers 200 or a 400 naming what is wrong, `GET`/`DELETE /users/:userId/data` answer by
 * whether the id can be a user id, and nothing ever answers 5xx.
 */
describe('Audit and user data routes, random input', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await send(server.baseUrl, senderToken('audit-sender'), { userIds: ['someone'] });
  });
  afterAll(() => server.close());

  it('GET /notifications/sent?…: 200 or 400, and 400 for any parameter it does not declare', async () => {
    const known = ['senderId', 'type', 'since', 'limit', 'before'];
    const queryKey = fc.oneof(
      fc.constantFrom(...known).map((key) => ({ key, unknown: false })),
      fc.constantFrom('unread', 'constructor', '__proto__', 'senderId[]', 'limit[a]', 'toString').map((key) => ({ key, unknown: true })),
    );
    const queries = fc.array(fc.tuple(queryKey, valueText), { maxLength: 5 }).map((pairs) => ({
      query: pairs.map(([{ key }, value]) => `${key}=${value}`).join('&'),
      mustRefuse: pairs.some(([{ unknown }]) => unknown),
    }));
    await fc.assert(
      fc.asyncProperty(queries, async ({ query, mustRefuse }) => {
        const response = await request(server.baseUrl, 'GET', `/notifications/sent?${query}`, { token: adminToken() });
        expect(mustRefuse ? [400] : [200, 400]).toContain(response.status);
        if (response.status === 400) expect(response.body).toMatchObject({ statusCode: 400, message: expect.anything() });
        else expect(response.body).toEqual({ items: expect.any(Array), nextCursor: null });
      }),
      { numRuns: 300 },
    );
  });

  it('GET and DELETE /users/:userId/data: 200/204 for what can be a user id, else 400 naming userId, never 5xx', async () => {
    const wellFormed = fc
      .oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
        fc.constantFrom('\u0000', 'x'.repeat(255), 'x'.repeat(256), 'u1/../u2', '%'),
      )
      .filter((text) => !LONE_SURROGATE.test(text))
      .map((userId) => ({ userId, segment: encodeURIComponent(userId) }));
    // Bytes that are not UTF-8: whatever the answer, a 4xx.
    const rawBytes = fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => ({ userId: undefined, segment: percentEncoded(bytes) }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(wellFormed, rawBytes), fc.constantFrom('GET', 'DELETE'), async ({ userId, segment }, method) => {
        const response = await request(server.baseUrl, method, `/users/${segment}/data`, { token: adminToken() });
        if (userId === undefined) return expect(response.status).toBeLessThan(500);
        // The URL parser resolves "." and ".." segments (even encoded) before the request is sent.
        if (userId === '.' || userId === '..') return expect(response.status).toBe(404);
        if (isUserId(userId)) return expect(response.status).toBe(method === 'GET' ? 200 : 204);
        expect(response.status).toBe(400);
        expect(response.body.message).toMatch(/^userId must be/);
      }),
      { numRuns: 200 },
    );
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

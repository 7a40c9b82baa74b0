import fc from 'fast-check';
import {
  anyJsonText,
  deepText,
  hostileKeyText,
  hostileText,
  notJsonText,
  queriesOf,
  queryText,
  UNKNOWN_KEYS,
} from './support/hostile-json';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken } from './support/tokens';

/** The held-send routes under random and hostile input: a 400 or a 404, never a 5xx, and nothing changed on a refusal. */
describe('Hostile JSON, random: held sends', () => {
  let server: TestServer;
  const sender = senderToken('fuzz-scheduler');
  let heldId: string;
  const deliverAt = new Date(Date.now() + 86_400_000).toISOString();
  /** The held send the properties aim at, as listed now. */
  const listed = async () => (await request(server.baseUrl, 'GET', '/notifications/scheduled', { token: sender })).body.items;

  beforeAll(async () => {
    server = await startServer();
    heldId = (await send(server.baseUrl, sender, { userIds: ['fuzz-recipient'], deliverAt })).body.id;
  });
  afterAll(() => server.close());

  it('PATCH /notifications/scheduled/:id', async () => {
    // Past, present and future times in many spellings: only a future one with a zone moves it.
    const timeText = fc.oneof(
      fc.constantFrom('"2020-01-01T00:00:00Z"', '"2999-01-01T00:00:00Z"', '"2999-01-01T00:00:00"', '"2999-02-30T00:00:00Z"'),
      fc.date({ noInvalidDate: true }).map((date) => JSON.stringify(date.toISOString())),
      fc.integer().map(String),
    );
    // Maybe one more field: named like an inherited member (then it must be a 400), or any key.
    const extraField = fc.oneof(
      fc.constantFrom(...UNKNOWN_KEYS).map((key) => ({ key: JSON.stringify(key), unknown: true })),
      hostileKeyText.map((key) => ({ key, unknown: false })),
    );
    const bodies = fc
      .tuple(
        fc.oneof({ arbitrary: timeText, weight: 4 }, { arbitrary: hostileText, weight: 1 }, { arbitrary: deepText, weight: 1 }),
        fc.option(fc.tuple(extraField, anyJsonText), { nil: undefined }),
      )
      .map(([time, extra]) => ({
        rawBody: `{"deliverAt":${time}${extra ? `,${extra[0].key}:${extra[1]}` : ''}}`,
        mustRefuse: extra?.[0].unknown ?? false,
      }));
    const anyBody = fc.oneof(anyJsonText, notJsonText).map((rawBody) => ({ rawBody, mustRefuse: false }));
    const ids = fc.oneof(
      { arbitrary: fc.constant('held'), weight: 6 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((text) => encodeURIComponent(text)), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(bodies, anyBody), ids, async ({ rawBody, mustRefuse }, id) => {
        const before = await listed();
        const path = `/notifications/scheduled/${id === 'held' ? heldId : id}`;
        const headers = { 'content-type': 'application/json' };
        const response = await request(server.baseUrl, 'PATCH', path, { token: sender, rawBody, headers });
        // Another id may name no route at all (empty, or a `/` once decoded): 404 before any body check.
        expect(mustRefuse && id === 'held' ? [400, 413] : [200, 400, 404, 413]).toContain(response.status);
        if (response.status === 200) expect(response.body).toMatchObject({ id: heldId });
        else expect(response.body).toMatchObject({ statusCode: response.status, message: expect.anything() });
        // Refused: nothing moved.
        if (response.status !== 200) expect(await listed()).toEqual(before);
      }),
      { numRuns: 200 },
    );
    expect((await listed()).map((item: { id: string }) => item.id)).toEqual([heldId]);
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
  });

  it('GET /notifications/scheduled?…', async () => {
    const cursorText = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 10 ** 15 }), fc.uuid()).map(([time, id]) => `${time}.${id}`),
      fc.tuple(queryText, fc.uuid()).map(([time, id]) => `${time}.${id}`),
    );
    const queries = fc.oneof(
      queriesOf(['limit', 'after']),
      fc.tuple(cursorText, fc.option(queriesOf(['limit']), { nil: undefined })).map(([after, extra]) => ({
        query: [`after=${after}`, extra?.query].filter(Boolean).join('&'),
        mustRefuse: extra?.mustRefuse ?? false,
      })),
    );
    await fc.assert(
      fc.asyncProperty(queries, async ({ query, mustRefuse }) => {
        const response = await request(server.baseUrl, 'GET', `/notifications/scheduled?${query}`, { token: sender });
        expect(mustRefuse ? [400] : [200, 400]).toContain(response.status);
        if (response.status === 200) expect(response.body).toEqual({ items: expect.any(Array), nextCursor: null });
        else expect(response.body).toMatchObject({ statusCode: 400, message: expect.anything() });
      }),
      { numRuns: 200 },
    );
  });

  it('DELETE /notifications/scheduled/:id with ids that are not the held send', async () => {
    const ids = fc.oneof(
      fc.uuid(),
      fc.string({ unit: 'binary', maxLength: 40 }).map((text) => encodeURIComponent(text)),
      fc.constantFrom('%00', '..', 'scheduled', heldId.toUpperCase().replace(/./, 'X')),
    );
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        const response = await request(server.baseUrl, 'DELETE', `/notifications/scheduled/${id}`, { token: sender });
        expect([400, 404]).toContain(response.status);
      }),
      { numRuns: 200 },
    );
    expect((await listed()).map((item: { id: string }) => item.id)).toEqual([heldId]);
  });
});

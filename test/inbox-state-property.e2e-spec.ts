import fc from 'fast-check';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_FILTER = /^(?:[a-z0-9._-]{1,100}|[a-z0-9._-]{1,99}\.\*)$/;
const TOPIC = /^[A-Za-z0-9._:-]{1,100}$/;

const anyText = fc.string({ unit: 'binary', maxLength: 30 });
const hostileValue = fc.oneof(
  anyText,
  fc.constantFrom(null, true, false, 0, -1, 1e308, '', '\u0000', 'x'.repeat(3000), '__proto__', 'expense.*', 'a_b.*', '.*'),
  fc.array(anyText, { maxLength: 3 }),
  fc.dictionary(anyText, anyText, { maxKeys: 2 }),
);
const typeValue = fc.oneof(
  fc.constantFrom('none.here', 'none.*', 'Expense', 'a b', `${'a'.repeat(100)}.*`),
  fc.stringMatching(TYPE_FILTER),
  hostileValue,
);
const topicValue = fc.oneof(fc.constantFrom('nowhere', 'a/b', 'x'.repeat(101)), fc.stringMatching(TOPIC), hostileValue);
const fieldName = fc.oneof(fc.constantFrom('constructor', 'toString', 'extra', '__proto__'), anyText);

/** What the server must accept, checked here without its code. */
const isFilterBody = (value: Record<string, unknown>, fields: string[]) =>
  Object.keys(value).every((key) => fields.includes(key)) &&
  (value.type === undefined || (typeof value.type === 'string' && TYPE_FILTER.test(value.type))) &&
  (value.topic === undefined || (typeof value.topic === 'string' && TOPIC.test(value.topic))) &&
  (value.read === undefined || typeof value.read === 'boolean');

describe('Inbox state bodies and filters, random', () => {
  let server: TestServer;
  const user = 'fuzz-inbox';
  const token = tokenFor(user);
  const own: string[] = [];
  const snapshot = async () => (await request(server.baseUrl, 'GET', '/notifications?limit=100', { token })).body;

  beforeAll(async () => {
    server = await startServer();
    for (let index = 0; index < 3; index++)
      own.push((await send(server.baseUrl, senderToken(), { userIds: [user], type: 'keep.me' })).body.id);
  });
  afterAll(() => server.close());

  it('property: seen {ids} or {all} is 200, 404 when an id is not yours, else 400; a refusal stores nothing', async () => {
    const id = fc.oneof(fc.constantFrom(...own), fc.uuid(), hostileValue);
    const body = fc.oneof(
      fc.record({ ids: fc.oneof(fc.array(id, { minLength: 0, maxLength: 4 }), hostileValue) }),
      fc.record({ all: fc.oneof(fc.constant(true), hostileValue) }),
      fc.record({ ids: fc.array(id, { maxLength: 2 }), all: hostileValue }, { requiredKeys: [] }),
      fc.dictionary(fieldName, hostileValue, { maxKeys: 2 }),
      hostileValue,
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const before = await snapshot();
        const response = await request(server.baseUrl, 'POST', '/notifications/seen', { token, body: value });
        const record =
          typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
        const keys = record ? Object.keys(record) : [];
        const ids = record?.ids;
        const valid =
          record !== undefined &&
          keys.length === 1 &&
          ((keys[0] === 'all' && record.all === true) ||
            (keys[0] === 'ids' &&
              Array.isArray(ids) &&
              ids.length > 0 &&
              ids.every((entry) => typeof entry === 'string' && UUID.test(entry))));
        const expected = !valid ? 400 : Array.isArray(ids) && ids.some((entry) => !own.includes(entry as string)) ? 404 : 200;
        expect({ value, status: response.status }).toEqual({ value, status: expected });
        if (response.status !== 200) expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('property: read-all and archive-all take only a valid filter (400 else, nothing stored), never a 5xx', async () => {
    const body = fc.oneof(
      fc.record({ type: typeValue, topic: topicValue, read: fc.oneof(fc.boolean(), hostileValue) }, { requiredKeys: ['type'] }),
      fc.record({ topic: topicValue }),
      fc.dictionary(fieldName, hostileValue, { maxKeys: 2 }).filter((value) => Object.keys(value).length > 0),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('read-all', 'archive-all'), body, async (route, value) => {
        const before = await snapshot();
        const response = await request(server.baseUrl, 'POST', `/notifications/${route}`, { token, body: value });
        const fields = route === 'read-all' ? ['type', 'topic'] : ['type', 'topic', 'read'];
        expect({ route, value, status: response.status }).toEqual({ route, value, status: isFilterBody(value, fields) ? 200 : 400 });
        if (response.status === 400) expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 150 },
    );
    // The fuzzer's filters name no type or topic of this inbox ("keep.me" is not generated), so nothing was archived.
    expect((await snapshot()).items).toHaveLength(3);
  });

  it('property: any list filter query is 200 or 400, never a 5xx', async () => {
    const parameter = fc.tuple(
      fc.constantFrom('archived', 'seen', 'type', 'topic', 'since', 'unread', 'before', 'limit'),
      fc.oneof(anyText, fc.constantFrom('true', 'false', 'expense.*', '2026-01-01T00:00:00Z', '1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(parameter, { maxLength: 4 }), async (pairs) => {
        const query = pairs.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
        const response = await request(server.baseUrl, 'GET', `/notifications?${query}`, { token });
        expect({ query, answered: [200, 400].includes(response.status) }).toEqual({ query, answered: true });
      }),
      { numRuns: 150 },
    );
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

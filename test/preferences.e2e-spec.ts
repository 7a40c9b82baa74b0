import { InvalidPreferencesException, PreferencesService } from '../src/index';
import { request } from './support/http';
import { SseTestClient } from './support/sse-client';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const DEFAULTS = { channels: { inApp: true, push: true, email: true }, types: {}, topics: {}, quietHours: null, email: null };

/** The contract's example, as a user would PUT it. */
const EXAMPLE = {
  channels: { inApp: true, push: true, email: true },
  types: { 'expense.*': { email: false }, 'system.maintenance': { inApp: false } },
  topics: { finance: { push: false } },
  quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' },
  email: 'ana@example.com',
};

describe('Preferences: routes, admin routes and the preferences frame', () => {
  let server: TestServer;
  const clients: Array<{ close(): unknown }> = [];
  const get = (userId: string) => request(server.baseUrl, 'GET', '/preferences', { token: tokenFor(userId) });
  const put = (userId: string, body: unknown) => request(server.baseUrl, 'PUT', '/preferences', { token: tokenFor(userId), body });
  const open = async (userId: string) => {
    const client = await TestClient.open(server.wsUrl, tokenFor(userId));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => server.close());

  it('answers the module defaults to a user who set nothing, and 401 without a token', async () => {
    expect(await get('newcomer')).toMatchObject({ status: 200, body: DEFAULTS });
    expect((await request(server.baseUrl, 'GET', '/preferences')).status).toBe(401);
    expect((await request(server.baseUrl, 'PUT', '/preferences', { body: {} })).status).toBe(401);
  });

  it('replaces on PUT and answers the stored value, every key present, channels completed from the defaults', async () => {
    const first = await put('ana', EXAMPLE);
    expect(first).toMatchObject({ status: 200, body: EXAMPLE });
    expect((await get('ana')).body).toEqual(EXAMPLE);

    // Replace, not merge: what the body leaves out is unset again.
    const second = await put('ana', { channels: { push: false }, types: { 'expense.approved': { inApp: true, email: false } } });
    expect(second.body).toEqual({
      channels: { inApp: true, push: false, email: true },
      types: { 'expense.approved': { inApp: true, email: false } },
      topics: {},
      quietHours: null,
      email: null,
    });
    expect((await get('ana')).body).toEqual(second.body);
    expect((await put('ana', {})).body).toEqual(DEFAULTS);
  });

  it("sends the new value to every session of the user, WebSocket and SSE, and to no one else's", async () => {
    const [tab, phone, stranger] = [await open('multi'), await open('multi'), await open('someone-else')];
    const stream = await SseTestClient.connect(server.baseUrl, tokenFor('multi'));
    clients.push(stream);
    const response = await put('multi', { topics: { finance: { inApp: false } } });
    expect(response.status).toBe(200);
    for (const session of [tab, phone]) expect((await session.next('preferences')).data).toEqual(response.body);
    expect((await stream.next('preferences')).data).toEqual(response.body);
    await stranger.roundTrip();
    expect(stranger.all('preferences')).toHaveLength(0);
  });

  it("lets an admin read and replace any user's preferences (the user's sessions hear of it); 403 for others", async () => {
    const session = await open('managed');
    const admin = adminToken();
    const replaced = await request(server.baseUrl, 'PUT', '/users/managed/preferences', {
      token: admin,
      body: { channels: { email: false } },
    });
    expect(replaced).toMatchObject({ status: 200, body: { ...DEFAULTS, channels: { inApp: true, push: true, email: false } } });
    expect((await session.next('preferences')).data).toEqual(replaced.body);
    expect((await request(server.baseUrl, 'GET', '/users/managed/preferences', { token: admin })).body).toEqual(replaced.body);
    expect((await get('managed')).body).toEqual(replaced.body);

    for (const token of [tokenFor('managed'), senderToken()]) {
      expect((await request(server.baseUrl, 'GET', '/users/managed/preferences', { token })).status).toBe(403);
      expect((await request(server.baseUrl, 'PUT', '/users/managed/preferences', { token, body: {} })).status).toBe(403);
    }
    expect((await request(server.baseUrl, 'GET', '/users/%00/preferences', { token: admin })).status).toBe(400);
    const refused = await request(server.baseUrl, 'PUT', '/users/managed/preferences', { token: admin, body: { channels: { sms: true } } });
    expect(refused.status).toBe(400);
    expect((await get('managed')).body).toEqual(replaced.body);
  });

  const many = (count: number, key: (index: number) => string) =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [key(index), { inApp: false }]));
  it.each([
    ['an unknown channel', { channels: { sms: true } }, 'channels.sms'],
    ['a switch that is not a boolean', { channels: { inApp: 'false' } }, 'channels.inApp must be a boolean'],
    ['a bad type key', { types: { 'Not A Type': { inApp: false } } }, 'types key "Not A Type"'],
    ['a null switch', { types: { 'a.b': { inApp: null } } }, 'types["a.b"].inApp must be a boolean'],
    ['201 types', { types: many(201, (index) => `t.${index}`) }, 'types must have at most 200'],
    ['201 topics', { topics: many(201, (index) => `t${index}`) }, 'topics must have at most 200'],
    ['a bad topic key', { topics: { 'bad topic': {} } }, 'topics key "bad topic"'],
    ['a time that is not HH:MM', { quietHours: { start: '22:00', end: '7:00', timeZone: 'Europe/Berlin' } }, 'quietHours.end'],
    ['start equal to end', { quietHours: { start: '22:00', end: '22:00', timeZone: 'Europe/Berlin' } }, 'quietHours.end must differ'],
    ['an unknown time zone', { quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Atlantis' } }, 'quietHours.timeZone'],
    ['quiet hours without a zone', { quietHours: { start: '22:00', end: '07:00' } }, 'quietHours.timeZone'],
    ['an email that is none', { email: 'ana-at-example.com' }, 'email'],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@x.io` }, 'email'],
    ['an unknown top-level key', { language: 'de' }, 'property language should not exist'],
    ['an array', [EXAMPLE], 'preferences must be a JSON object'],
  ])('refuses %s with 400 naming the field, storing nothing', async (_case, body, field) => {
    await put('strict', EXAMPLE);
    const response = await put('strict', body);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain(JSON.stringify(field).slice(1, -1));
    expect((await get('strict')).body).toEqual(EXAMPLE);
  });

  it('refuses a body that is not JSON (415) and one past 64 KiB (413)', async () => {
    const token = tokenFor('strict');
    const text = await request(server.baseUrl, 'PUT', '/preferences', { token, rawBody: '{}', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const huge = await request(server.baseUrl, 'PUT', '/preferences', { token, body: { email: 'x'.repeat(70_000) } });
    expect(huge.status).toBe(413);
  });

  it('offers host code get and set through PreferencesService, with the same checks and frame', async () => {
    const service = server.app.get(PreferencesService);
    const session = await open('hosted');
    const value = await service.set('hosted', { types: { 'report.*': { inApp: false } } });
    expect(value).toEqual({ ...DEFAULTS, types: { 'report.*': { inApp: false } } });
    expect((await session.next('preferences')).data).toEqual(value);
    expect(await service.get('hosted')).toEqual(value);
    await expect(service.set('hosted', { channels: { sms: true } } as never)).rejects.toBeInstanceOf(InvalidPreferencesException);
    await expect(service.get('')).rejects.toBeInstanceOf(InvalidPreferencesException);
    expect((await get('hosted')).body).toEqual(value);
  });
});

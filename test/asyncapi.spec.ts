import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloseCode } from '../src/protocol/close-code';
import { ClientEvents, FrameErrorCode, ServerEvents } from '../src/protocol/ws-events';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

// docs/asyncapi.json is the published description of the WebSocket protocol. These tests keep
// it and the code from drifting: the event names are checked against the typed maps (the
// `Record<keyof …>` literals below stop compiling when an event is added or removed), and
// frames from a real server, plus a typed example of every client frame, are validated
// against the document's schemas.

const document = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'asyncapi.json'), 'utf8'));

const SERVER_EVENTS: Record<keyof ServerEvents, true> = {
  ready: true,
  notification: true,
  unread: true,
  state: true,
  preferences: true,
  error: true,
  pong: true,
};
const CLIENT_EVENTS: Record<keyof ClientEvents, true> = { ack: true, read: true, seen: true, ping: true, refresh: true };
const CLIENT_EXAMPLES: { [E in keyof ClientEvents]: ClientEvents[E] } = {
  ack: { ids: ['5d3c0a6e-0000-4000-8000-000000000000'] },
  read: { ids: ['5d3c0a6e-0000-4000-8000-000000000000'] },
  seen: { ids: ['5d3c0a6e-0000-4000-8000-000000000000'] },
  ping: {},
  refresh: { token: 'eyJ.example.jwt' },
};

type Schema = Record<string, any>;

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return schema.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node: any, key: string) => node[key], document);
}

/** The subset of JSON Schema the document uses; returns what is wrong, empty when valid. */
function validate(value: unknown, schema: Schema, at = '$'): string[] {
  schema = resolve(schema);
  const problems: string[] = [];
  const types: string[] = schema.type === undefined ? [] : [].concat(schema.type);
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (types.length && !types.some((type) => type === actual || (type === 'number' && actual === 'integer'))) {
    return [`${at}: ${actual} is not ${types.join('|')}`];
  }
  if ('const' in schema && value !== schema.const) problems.push(`${at}: not ${schema.const}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${value} not in enum`);
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value))
    problems.push(`${at}: ${value} !~ ${schema.pattern}`);
  if (actual === 'object' && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${at}.${key}: missing`);
    for (const [key, child] of Object.entries(object)) {
      if (schema.properties[key]) problems.push(...validate(child, schema.properties[key], `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not in the document`);
    }
  }
  if (actual === 'array' && schema.items)
    (value as unknown[]).forEach((item, index) => problems.push(...validate(item, schema.items, `${at}[${index}]`)));
  return problems;
}

/** The operations of the WebSocket session (the webhook channel has its own). */
const operationsOf = (action: 'send' | 'receive') =>
  Object.values<any>(document.operations)
    .filter((operation) => operation.action === action && operation.channel.$ref === '#/channels/session')
    .map((operation) => operation.messages[0].$ref.split('/').pop())
    .sort();

describe('docs/asyncapi.json', () => {
  it('names exactly the events of ServerEvents (sent) and ClientEvents (received)', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(operationsOf('send')).toEqual(Object.keys(SERVER_EVENTS).sort());
    expect(operationsOf('receive')).toEqual(Object.keys(CLIENT_EVENTS).sort());
    expect(Object.keys(document.channels.session.messages).sort()).toEqual(
      [...Object.keys(SERVER_EVENTS), ...Object.keys(CLIENT_EVENTS)].sort(),
    );
  });

  it("says that with tenancy the tenant comes from the token's claim and frames carry the tenant's own ids", () => {
    expect(document.info.description).toMatch(/\*\*Tenants\.\*\*.*TENANT_CLAIM.*claim of the token.*tenant's own/s);
    expect(document.components.messages.ready.payload.properties.data.properties.userId.description).toMatch(/within the token's tenant/);
    expect(document.components.messages.webhookEvent.payload.properties.data.description).toMatch(/with tenancy .*`tenantId`/);
  });

  it('lists every close code of CloseCode and every FrameErrorCode', () => {
    const closeCodes = Object.values(CloseCode).filter((value): value is number => typeof value === 'number');
    expect(Object.keys(document['x-close-codes']).map(Number).sort()).toEqual(closeCodes.sort());
    expect(document.components.messages.error.payload.properties.data.properties.code.enum.sort()).toEqual(
      Object.values(FrameErrorCode).sort(),
    );
  });

  it('describes every client frame the code accepts', () => {
    for (const [event, data] of Object.entries(CLIENT_EXAMPLES)) {
      expect({ event, problems: validate({ event, data }, document.components.messages[event].payload) }).toEqual({ event, problems: [] });
    }
  });

  describe('against a real server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(() => server.close());

    it('describes every frame the server sends', async () => {
      const alice = await TestClient.open(server.wsUrl, tokenFor('alice'));
      const actions = [
        { id: 'approve', label: 'Approve', url: 'https://example.com/a', style: 'primary' },
        { id: 'later', label: 'Later' },
      ];
      await send(server.baseUrl, senderToken(), { userIds: ['alice'], body: 'Hi', data: { n: 1 }, ttlSeconds: 60, actions, groupKey: 'k' });
      const notification = await alice.next('notification');
      alice.send('seen', { ids: [notification.data.id] });
      await alice.next('state');
      alice.send('read', { ids: [notification.data.id] });
      await alice.next('unread');
      const taken = await request(server.baseUrl, 'POST', `/notifications/${notification.data.id}/actions/approve`, {
        token: tokenFor('alice'),
      });
      expect(taken.status).toBe(200);
      await alice.next('state');
      const snoozed = await request(server.baseUrl, 'POST', `/notifications/${notification.data.id}/snooze`, {
        token: tokenFor('alice'),
        body: { until: new Date(Date.now() + 3_600_000).toISOString() },
      });
      expect(snoozed.status).toBe(204);
      expect((await alice.waitFor('state', 4))[3].data).toMatchObject({ change: 'snoozed', until: expect.any(String) });
      const preferences = {
        types: { 'expense.*': { email: false } },
        topics: { finance: { push: false } },
        quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' },
        email: 'alice@example.com',
      };
      expect((await request(server.baseUrl, 'PUT', '/preferences', { token: tokenFor('alice'), body: preferences })).status).toBe(200);
      await alice.next('preferences');
      alice.send('nonsense', {});
      await alice.next('error');
      await alice.roundTrip();
      await alice.close();
      const seen = new Set<string>();
      for (const frame of alice.frames) {
        seen.add(frame.event);
        const message = document.components.messages[frame.event];
        expect({ event: frame.event, documented: Boolean(message) }).toEqual({ event: frame.event, documented: true });
        expect({ event: frame.event, problems: validate(frame, message.payload) }).toEqual({ event: frame.event, problems: [] });
      }
      expect([...seen].sort()).toEqual(Object.keys(SERVER_EVENTS).sort());
    });
  });
});

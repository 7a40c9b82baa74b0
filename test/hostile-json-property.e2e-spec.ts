import { ResolvedOptions } from '../src/config/resolved-options';
import fc from 'fast-check';
import {
  anyJsonText,
  deepText,
  hostileKeyText,
  hostileScalarText,
  hostileText,
  nestedArrays,
  notJsonText,
  PROTOTYPE_NAMES,
  queriesOf,
  queryText,
  UNKNOWN_KEYS,
} from './support/hostile-json';
import { NotificationsService } from '../src/notifications/notifications.service';
import { SessionRegistry } from '../src/sessions/session-registry';
import { waitingPolls } from './support/polls';
import { isFrameError, parseClientFrame } from '../src/gateway/client-frame';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** Bodies, queries and frames built to trip the checks that look at them: a 400 or an `error` frame, never a 500. */
describe('Hostile JSON, random', () => {
  let server: TestServer;

  beforeAll(async () => {
    // High limits: the properties below send hundreds of frames and bodies on purpose.
    server = await startServer({ env: { WS_MAX_FRAMES_PER_SECOND: '100000', SEND_RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(() => server.close());

  describe('property: random and hostile JSON gets a 4xx or an error frame, never a 5xx, and the server stays healthy', () => {
    let bystander: TestClient;
    const bystanderToken = tokenFor('bystander');

    beforeAll(async () => {
      bystander = await TestClient.open(server.wsUrl, bystanderToken);
    });
    afterAll(() => bystander.close());

    /** /health answers 200 and a normal send still reaches a connected user. */
    async function expectHealthy(): Promise<void> {
      expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
      const delivered = bystander.all('notification').length;
      const sent = await send(server.baseUrl, senderToken(), { userIds: ['bystander'], title: 'still delivered' });
      expect(sent.status).toBe(201);
      expect((await bystander.waitFor('notification', delivered + 1))[delivered].data.id).toBe(sent.body.id);
      expect(bystander.closeCode).toBeUndefined();
    }

    it('POST /notifications', async () => {
      const valid: Record<string, string> = {
        userIds: '["fuzz-recipient"]',
        type: '"fuzz.event"',
        title: '"Fuzz"',
        body: '"\\u0000 body"',
        data: '{"k":1}',
        priority: '"high"',
        ttlSeconds: '60',
        deliverAt: '"2020-01-01T00:00:00Z"',
        actions: '[{"id":"ok","label":"OK","url":"https://example.com/ok","style":"primary"},{"id":"no","label":"No"}]',
        groupKey: '"fuzz-group"',
      };
      // Shaped like a send: each field valid, hostile or absent, plus maybe a field the DTO
      // lacks (named like an inherited member: then the answer must be a 400) or any key.
      const extraField = fc.oneof(
        fc.constantFrom(...UNKNOWN_KEYS).map((key) => ({ key: JSON.stringify(key), unknown: true })),
        hostileKeyText.map((key) => ({ key, unknown: false })),
      );
      const sendShaped = fc
        .tuple(
          fc.record(
            Object.fromEntries(
              Object.entries(valid).map(([name, text]) => [
                name,
                fc.oneof(
                  { arbitrary: fc.constant(text), weight: 8 },
                  { arbitrary: hostileText, weight: 1 },
                  { arbitrary: deepText, weight: 1 },
                ),
              ]),
            ),
            { requiredKeys: ['userIds', 'type', 'title'] },
          ),
          fc.option(fc.tuple(extraField, anyJsonText), { nil: undefined, freq: 2 }),
        )
        .map(([fields, extra]) => {
          const members = Object.entries(fields).map(([name, text]) => `"${name}":${text}`);
          if (extra) members.push(`${extra[0].key}:${extra[1]}`);
          return { rawBody: `{${members.join(',')}}`, mustRefuse: extra?.[0].unknown ?? false };
        });
      const anyBody = fc.oneof(anyJsonText, notJsonText).map((rawBody) => ({ rawBody, mustRefuse: false }));
      const bodies = fc.oneof(
        { arbitrary: sendShaped, weight: 6 },
        { arbitrary: anyBody, weight: 3 },
        { arbitrary: fc.constant({ rawBody: `{"sneaky":${nestedArrays(30000)}}`, mustRefuse: true }), weight: 1 },
      );
      const sender = senderToken('fuzz-sender');
      await fc.assert(
        fc.asyncProperty(bodies, async ({ rawBody, mustRefuse }) => {
          const response = await request(server.baseUrl, 'POST', '/notifications', {
            token: sender,
            rawBody,
            headers: { 'content-type': 'application/json' },
          });
          // Larger than the contract's 64 KiB (deep values add up): 413, before it is parsed.
          if (Buffer.byteLength(rawBody) > 64 * 1024) expect(response.status).toBe(413);
          else expect(mustRefuse ? [400] : [201, 400]).toContain(response.status);
          if (response.status !== 201) expect(response.body).toMatchObject({ statusCode: response.status, message: expect.anything() });
        }),
        { numRuns: 300 },
      );
      await expectHealthy();
    });

    it('PUT /preferences and PUT /users/:userId/preferences: a refusal stores nothing', async () => {
      const object = (members: Array<[string, string]>) => `{${members.map(([key, value]) => `${key}:${value}`).join(',')}}`;
      const switchText = fc.oneof({ arbitrary: fc.constantFrom('true', 'false'), weight: 6 }, { arbitrary: hostileScalarText, weight: 1 });
      const switchesText = fc.oneof(
        {
          arbitrary: fc.array(fc.tuple(fc.constantFrom('"inApp"', '"push"', '"email"'), switchText), { maxLength: 3 }).map(object),
          weight: 6,
        },
        { arbitrary: fc.array(fc.tuple(hostileKeyText, anyJsonText), { minLength: 1, maxLength: 2 }).map(object), weight: 1 },
        { arbitrary: hostileText, weight: 1 },
      );
      const keyText = (keys: string[]) =>
        fc.oneof(
          fc.constantFrom(...keys).map((key) => JSON.stringify(key)),
          hostileKeyText,
        );
      const typeKeys = ['expense.*', 'system.maintenance', 'a_b.c', 'constructor', 'toString', '*', '.*', 'Expense', 'x'.repeat(101)];
      const topicKeys = ['finance', 'a:b', 'has space', 'hasOwnProperty', ''];
      const mapText = (keys: string[]) => fc.array(fc.tuple(keyText(keys), switchesText), { maxLength: 4 }).map(object);
      const clockText = fc.constantFrom('"22:00"', '"07:00"', '"24:00"', '"7:00"', '"22:00:00"', '22', 'null');
      const zoneText = fc.constantFrom('"Europe/Berlin"', '"UTC"', '"Europe/Atlantis"', '"+01:00"', '"../../etc/passwd"', '""', '0');
      const quietText = fc.oneof(
        fc.constant('null'),
        fc.tuple(clockText, clockText, zoneText).map(([start, end, zone]) => `{"start":${start},"end":${end},"timeZone":${zone}}`),
        hostileText,
      );
      const emailText = fc.oneof(fc.constantFrom('null', '"ana@example.com"', '"ana"', `"${'a'.repeat(250)}@x.io"`), hostileScalarText);
      const parts = {
        channels: switchesText,
        types: mapText(typeKeys),
        topics: mapText(topicKeys),
        quietHours: quietText,
        email: emailText,
      };
      const extraField = fc.oneof(
        fc.constantFrom(...UNKNOWN_KEYS, 'language').map((key) => ({ key: JSON.stringify(key), unknown: true })),
        hostileKeyText.map((key) => ({ key, unknown: false })),
      );
      const shaped = fc
        .tuple(fc.record(parts, { requiredKeys: [] }), fc.option(fc.tuple(extraField, anyJsonText), { nil: undefined, freq: 3 }))
        .map(([fields, extra]) => {
          const members: Array<[string, string]> = Object.entries(fields).map(([name, text]) => [`"${name}"`, text]);
          if (extra) members.push([extra[0].key, extra[1]]);
          return { rawBody: object(members), mustRefuse: extra?.[0].unknown ?? false };
        });
      const bodies = fc.tuple(
        fc.oneof(
          { arbitrary: shaped, weight: 6 },
          { arbitrary: fc.oneof(anyJsonText, notJsonText).map((rawBody) => ({ rawBody, mustRefuse: false })), weight: 2 },
        ),
        fc.boolean(),
      );
      const user = tokenFor('fuzz-preferences');
      const read = async () => (await request(server.baseUrl, 'GET', '/preferences', { token: user })).body;
      let stored = await read();
      await fc.assert(
        fc.asyncProperty(bodies, async ([{ rawBody, mustRefuse }, asAdmin]) => {
          const path = asAdmin ? '/users/fuzz-preferences/preferences' : '/preferences';
          const token = asAdmin ? adminToken() : user;
          const response = await request(server.baseUrl, 'PUT', path, { token, rawBody, headers: { 'content-type': 'application/json' } });
          if (Buffer.byteLength(rawBody) > 64 * 1024) expect(response.status).toBe(413);
          else expect(mustRefuse ? [400] : [200, 400]).toContain(response.status);
          if (response.status === 200) stored = response.body;
          else expect(response.body).toMatchObject({ statusCode: response.status, message: expect.anything() });
          expect(await read()).toEqual(stored);
        }),
        { numRuns: 300 },
      );
      await expectHealthy();
    });

    it('GET /notifications?…, polls and long polls included', async () => {
      // A parameter the query does not declare must be a 400, whatever its name.
      const anyQuery = queriesOf(['limit', 'before', 'unread', 'after', 'wait']);
      // Shaped like a long poll: after and wait each valid or hostile, maybe with one more pair.
      const pollShaped = fc
        .tuple(
          fc.oneof({ arbitrary: fc.constantFrom('0', '7', '101'), weight: 3 }, { arbitrary: queryText, weight: 1 }),
          fc.oneof({ arbitrary: fc.constantFrom('1', '30'), weight: 3 }, { arbitrary: queryText, weight: 1 }),
          fc.option(anyQuery, { nil: undefined }),
        )
        .map(([after, wait, extra]) => ({
          query: [`after=${after}`, `wait=${wait}`, extra?.query].filter(Boolean).join('&'),
          mustRefuse: extra?.mustRefuse ?? false,
        }));
      const queries = fc.oneof(anyQuery, pollShaped);
      const user = tokenFor('fuzz-reader');
      // Cursors past every `after` the generator writes (at most 101), in one send.
      const crowd = Array.from({ length: 102 }, (_, index) => `fuzz-crowd-${index}`);
      expect((await send(server.baseUrl, senderToken(), { userIds: crowd, title: 'Cursors' })).status).toBe(201);
      // A valid long poll waits: as soon as one registers, a notification for its user wakes it.
      const registry = server.app.get(SessionRegistry);
      const add = registry.add.bind(registry);
      const wake = { type: 'fuzz.wake', title: 'Wake up', userIds: ['fuzz-reader'] };
      const spy = jest.spyOn(registry, 'add').mockImplementation((session) => {
        add(session);
        if (session.transport === 'poll') setImmediate(() => void server.app.get(NotificationsService).send(wake));
      });
      try {
        await fc.assert(
          fc.asyncProperty(queries, async ({ query, mustRefuse }) => {
            const response = await request(server.baseUrl, 'GET', `/notifications?${query}`, { token: user });
            expect(mustRefuse ? [400] : [200, 400]).toContain(response.status);
            if (response.status === 400) expect(response.body).toMatchObject({ statusCode: 400, message: expect.anything() });
          }),
          { numRuns: 300 },
        );
      } finally {
        spy.mockRestore();
      }
      expect(waitingPolls(server.app)).toBe(0);
      await expectHealthy();
    });

    it('every client frame', async () => {
      const idText = fc.oneof(
        hostileScalarText,
        fc.uuid().map((id) => JSON.stringify(id)),
        fc.constant(`"${'i'.repeat(255)}"`),
      );
      const eventText = fc.oneof(
        fc.constantFrom('ack', 'read', 'seen', 'ping', 'refresh', ...PROTOTYPE_NAMES, '__proto__').map((event) => JSON.stringify(event)),
        hostileScalarText,
      );
      const frames = fc
        .oneof(
          // Each client event with hostile data, and each with data of roughly its shape.
          fc.tuple(eventText, anyJsonText).map(([event, data]) => `{"event":${event},"data":${data}}`),
          fc
            .tuple(fc.constantFrom('"ack"', '"read"'), fc.array(idText, { maxLength: 5 }), fc.option(fc.tuple(hostileKeyText, anyJsonText)))
            .map(([event, ids, extra]) => `{"event":${event},"data":{"ids":[${ids.join(',')}]${extra ? `,${extra.join(':')}` : ''}}}`),
          fc
            .tuple(hostileScalarText, fc.option(fc.tuple(hostileKeyText, anyJsonText)))
            .map(([token, extra]) => `{"event":"refresh","data":{"token":${token}${extra ? `,${extra.join(':')}` : ''}}}`),
          fc.tuple(hostileKeyText, anyJsonText).map(([key, value]) => `{${key}:${value},"event":"ping"}`),
          anyJsonText,
          notJsonText,
        )
        // Under WS_MAX_PAYLOAD_BYTES (16 KiB): a larger frame is a contract close (1009), covered in test/limits.
        .filter((frame) => Buffer.byteLength(frame) <= 16_000);

      let client = await TestClient.open(server.wsUrl, tokenFor('fuzzer'));
      await fc.assert(
        fc.asyncProperty(frames, async (frame) => {
          // What the frame is (the parser is unit-tested) says what the session must answer.
          const parsed = parseClientFrame(Buffer.from(frame), false, new ResolvedOptions().websocket.maxIdsPerFrame);
          const seen = client.frames.length;
          client.socket.send(frame);
          if (!isFrameError(parsed) && parsed.event === 'refresh') {
            // No random string is a valid token: the contract closes 4401 (then the client reconnects).
            expect(await client.waitForClose()).toBe(4401);
            client = await TestClient.open(server.wsUrl, tokenFor('fuzzer'));
            return;
          }
          const pongs = client.all('pong').length + (!isFrameError(parsed) && parsed.event === 'ping' ? 2 : 1);
          client.send('ping', {});
          await client.waitFor('pong', pongs);
          const errors = client.frames.slice(seen).filter((answer) => answer.event === 'error');
          expect(errors).toEqual(isFrameError(parsed) ? [{ event: 'error', data: parsed }] : []);
          expect(client.closeCode).toBeUndefined();
        }),
        { numRuns: 300 },
      );
      await client.close();
      await expectHealthy();
    });
  });
});

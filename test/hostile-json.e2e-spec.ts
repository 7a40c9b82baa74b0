import { request } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** Names every plain object inherits from Object.prototype, which a lookup by key finds unless it asks for own keys. */
const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'toLocaleString'];

/** `[[…[]…]]`: JSON arrays nested `depth` levels. */
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** `{"a":{"a":…{}…}}`: JSON objects nested `depth` levels. */
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
/** Bodies, queries and frames built to trip the checks that look at them: a 400 or an `error` frame, never a 500. */
describe('Hostile JSON', () => {
  let server: TestServer;
  const sender = senderToken('hostile-json-sender');
  const postRaw = (rawBody: string) =>
    request(server.baseUrl, 'POST', '/notifications', { token: sender, rawBody, headers: { 'content-type': 'application/json' } });
  const inbox = async (userId: string) => (await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor(userId) })).body.items;

  beforeAll(async () => {
    // High limits: the properties below send hundreds of frames and bodies on purpose.
    server = await startServer({ env: { WS_MAX_FRAMES_PER_SECOND: '100000', SEND_RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(() => server.close());

  describe('unknown fields named like Object.prototype members (audit 2)', () => {
    it.each(PROTOTYPE_NAMES)(
      'POST /notifications with "%s" is a 400 naming it, like any unknown field, and stores nothing',
      async (name) => {
        const response = await postRaw(`{"userIds":["proto-send"],"type":"t","title":"t","${name}":1}`);
        expect(response).toMatchObject({ status: 400, body: { statusCode: 400, message: [`property ${name} should not exist`] } });
        expect(await inbox('proto-send')).toEqual([]);
      },
    );

    it.each(PROTOTYPE_NAMES)('GET /notifications?%s=1 is a 400 naming it', async (name) => {
      const response = await request(server.baseUrl, 'GET', `/notifications?limit=5&${name}=1`, { token: tokenFor('proto-list') });
      expect(response).toMatchObject({ status: 400, body: { statusCode: 400, message: [`property ${name} should not exist`] } });
    });

    it.each(PROTOTYPE_NAMES)('a frame with "%s" in it is handled by its own fields only', async (name) => {
      const client = await TestClient.open(server.wsUrl, tokenFor('proto-frame'));
      client.socket.send(`{"event":"ack","data":{"${name}":["x"]}}`);
      expect((await client.next('error')).data).toEqual({ code: 'NOTIFICATIONS_ERR_BAD_DATA', message: expect.stringContaining('ids') });
      client.socket.send(`{"${name}":"ack","data":{"ids":["x"]}}`);
      expect((await client.waitFor('error', 2))[1].data.code).toBe('NOTIFICATIONS_ERR_BAD_FRAME');
      client.socket.send(`{"event":"${name}","data":{}}`);
      expect((await client.waitFor('error', 3))[2].data.code).toBe('NOTIFICATIONS_ERR_UNKNOWN_EVENT');
      await client.roundTrip();
      expect(client.closeCode).toBeUndefined();
      await client.close();
    });
  });

  describe('deep nesting (audit 3)', () => {
    const sendBody = (extra: string) => `{"userIds":["deep-send"],"type":"t","title":"t",${extra}}`;
    const tooDeep = { status: 400, body: { statusCode: 400, message: expect.stringMatching(/nest.*32 levels/) } };

    it('answers data nested 5,000 deep (10 KB) with a 400 naming the depth, and stores nothing', async () => {
      expect(await postRaw(sendBody(`"data":${nestedObjects(5000)}`))).toMatchObject(tooDeep);
      expect(await postRaw(sendBody(`"data":{"a":${nestedArrays(5000)}}`))).toMatchObject(tooDeep);
      expect(await inbox('deep-send')).toEqual([]);
    });

    it('answers an unknown field nested 30,000 deep with a 400 naming the depth', async () => {
      expect(await postRaw(sendBody(`"sneaky":${nestedArrays(30000)}`))).toMatchObject(tooDeep);
      expect(await inbox('deep-send')).toEqual([]);
    });

    it('accepts a body nested 32 levels (data 31), and refuses 33', async () => {
      const atLimit = await postRaw(sendBody(`"data":${nestedObjects(31)}`));
      expect(atLimit.status).toBe(201);
      expect(await postRaw(sendBody(`"data":${nestedObjects(32)}`))).toMatchObject(tooDeep);
      const items = await inbox('deep-send');
      expect(items.map((item: { id: string }) => item.id)).toEqual([atLimit.body.id]);
      expect(JSON.stringify(items[0].data)).toBe(nestedObjects(31));
    });

    it('answers a frame nested deeper than 32 levels with an error frame naming the depth; the session stays open', async () => {
      const client = await TestClient.open(server.wsUrl, tokenFor('deep-frame'));
      for (const data of [nestedArrays(32), nestedObjects(32), nestedArrays(5000)]) {
        const errors = client.all('error').length;
        client.socket.send(`{"event":"ping","data":${data}}`);
        const error = (await client.waitFor('error', errors + 1))[errors];
        expect(error.data).toEqual({ code: 'NOTIFICATIONS_ERR_BAD_FRAME', message: expect.stringMatching(/nest.*32 levels/) });
      }
      const pongs = client.all('pong').length;
      client.socket.send(`{"event":"ping","data":${nestedArrays(31)}}`);
      await client.waitFor('pong', pongs + 1);
      expect(client.all('error')).toHaveLength(3);
      expect(client.closeCode).toBeUndefined();
      await client.close();
    });
  });
});

import fc from 'fast-check';
import { connect as connectTcp } from 'node:net';
import { WebSocket } from 'ws';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** Writes raw bytes to the server and returns its whole answer once it closes the connection. */
function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const upgrade = (headers: string) => `GET /ws?access_token=${tokenFor('raw')} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
const UPGRADE = 'Upgrade: websocket\r\nConnection: Upgrade\r\n';
const KEY = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
const junkHeaders = Array.from({ length: 5000 }, (_, index) => `X-Junk-${index}: ${'j'.repeat(20)}\r\n`).join('');

/** Frames and upgrades an attacker controls: answered by the contract, never a crash. */
describe('Hostile input', () => {
  let server: TestServer;
  let port: number;
  let victim: TestClient;
  let victimToken: string;
  let victimNotificationId: string;

  beforeAll(async () => {
    // A high frame rate: the property tests send many frames on purpose.
    server = await startServer({ env: { WS_MAX_FRAMES_PER_SECOND: '100000', SEND_RATE_LIMIT_PER_MINUTE: '100000' } });
    port = Number(new URL(server.baseUrl).port);
    victimToken = tokenFor('victim');
    victimNotificationId = (await send(server.baseUrl, senderToken(), { userIds: ['victim'], title: 'keep me' })).body.id;
    victim = await TestClient.open(server.wsUrl, victimToken);
  });
  afterAll(async () => {
    await victim.close();
    await server.close();
  });

  /** The server is healthy and the bystander's data is untouched. */
  async function expectHealthyAndVictimUntouched(): Promise<void> {
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
    await victim.roundTrip();
    expect(victim.closeCode).toBeUndefined();
    const inbox = await request(server.baseUrl, 'GET', '/notifications', { token: victimToken });
    const items = inbox.body.items.map((item: { id: string; readAt: string | null }) => [item.id, item.readAt]);
    expect(items).toEqual([[victimNotificationId, null]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  }

  it.each([
    ['not JSON', 'hello', 'NOTIFICATIONS_ERR_NOT_JSON'],
    ['a JSON string', '"ack"', 'NOTIFICATIONS_ERR_BAD_FRAME'],
    ['null', 'null', 'NOTIFICATIONS_ERR_BAD_FRAME'],
    ['an array', '[1,2]', 'NOTIFICATIONS_ERR_BAD_FRAME'],
    ['a number event', '{"event":1,"data":{}}', 'NOTIFICATIONS_ERR_BAD_FRAME'],
    ['an unknown event', '{"event":"constructor","data":{}}', 'NOTIFICATIONS_ERR_UNKNOWN_EVENT'],
    ['__proto__ as the event', '{"event":"__proto__","data":{}}', 'NOTIFICATIONS_ERR_UNKNOWN_EVENT'],
    ['ids of the wrong type', '{"event":"ack","data":{"ids":[1,{}]}}', 'NOTIFICATIONS_ERR_BAD_DATA'],
    ['ids as a string', '{"event":"read","data":{"ids":"abc"}}', 'NOTIFICATIONS_ERR_BAD_DATA'],
    ['a huge id list', JSON.stringify({ event: 'ack', data: { ids: Array(1500).fill('a') } }), 'NOTIFICATIONS_ERR_BAD_DATA'],
    ['deep nesting', `{"event":"ack","data":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'NOTIFICATIONS_ERR_BAD_FRAME'],
    ['deep nesting, unclosed', '['.repeat(10000), 'NOTIFICATIONS_ERR_NOT_JSON'],
  ])('answers %s with an error frame and keeps the session', async (_, frame, code) => {
    const client = await TestClient.open(server.wsUrl, tokenFor('hostile'));
    client.socket.send(frame);
    expect((await client.next('error')).data.code).toBe(code);
    await client.roundTrip();
    expect(client.closeCode).toBeUndefined();
    await client.close();
  });

  it('does not let __proto__ or constructor keys pollute prototypes', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('polluter'));
    const [x, y] = ['0190b1b2-0000-7000-8000-00000000000a', '0190b1b2-0000-7000-8000-00000000000b'];
    client.socket.send(`{"event":"ack","data":{"ids":["${x}"],"__proto__":{"polluted":true,"isAdmin":true}},"__proto__":{"polluted":1}}`);
    client.socket.send('{"event":"ping","data":{"constructor":{"prototype":{"polluted":true}}}}');
    client.socket.send(`{"__proto__":{"event":"ack"},"event":"read","data":{"ids":["${y}"],"__proto__":[]}}`);
    await client.roundTrip();
    expect(client.all('error')).toEqual([]);
    await client.close();
    await expectHealthyAndVictimUntouched();
  });

  it('answers a binary frame with an error frame', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('binary'));
    client.socket.send(Buffer.from([0, 1, 2, 255]), { binary: true });
    expect((await client.next('error')).data.code).toBe('NOTIFICATIONS_ERR_BAD_FRAME');
    await client.close();
  });

  it('closes a text frame with invalid UTF-8 with 1007 (the WebSocket protocol rule)', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('bad-utf8'));
    // ws validates outgoing text only when asked; send the bytes as a "text" frame unchecked.
    (client.socket as unknown as { _sender: { send(data: Buffer, options: object): void } })._sender.send(
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      { binary: false, fin: true, mask: true, compress: false, rsv1: false, opcode: 1, readOnly: false },
    );
    expect(await client.waitForClose()).toBe(1007);
    await expectHealthyAndVictimUntouched();
  });

  it.each([
    ['an unsupported version', `${UPGRADE}Sec-WebSocket-Version: 7\r\n${KEY}`, /^HTTP\/1\.1 (400|426)/],
    ['no key', `${UPGRADE}Sec-WebSocket-Version: 13\r\n`, /^HTTP\/1\.1 400/],
    ['a malformed key', `${UPGRADE}Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n`, /^HTTP\/1\.1 400/],
    ['thousands of headers', `${UPGRADE}Sec-WebSocket-Version: 13\r\n${KEY}${junkHeaders}`, /^HTTP\/1\.1 431/],
  ])('refuses an upgrade with %s as plain HTTP and stays up', async (_, headers, status) => {
    const answer = await rawExchange(port, upgrade(headers));
    expect(answer).toMatch(status);
    expect(answer).not.toMatch(/^HTTP\/1\.1 101/);
    await expectHealthyAndVictimUntouched();
  });

  it('survives garbage bytes on the port and a socket cut mid-handshake', async () => {
    await rawExchange(port, Buffer.from([0, 255, 13, 10, 13, 10, 1, 2, 3]));
    await rawExchange(port, 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConn');
    await expectHealthyAndVictimUntouched();
  });

  it('property: any client frame gets a contract answer, the session stays open, nobody else is touched', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('fuzzer'));
    const ids = fc.array(fc.oneof(fc.string(), fc.uuid(), fc.constant(victimNotificationId), fc.anything()), { maxLength: 5 });
    const frames = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json().map(String),
      fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
      // `refresh` is left out: a random string token is a contract close (4401), covered elsewhere.
      fc
        .record({ event: fc.constantFrom('ack', 'read', 'seen', 'ping', '__proto__', 'toString'), data: fc.anything() })
        .map((frame) => JSON.stringify(frame)),
      fc.record({ event: fc.constantFrom('ack', 'read', 'seen'), data: fc.record({ ids }) }).map((frame) => JSON.stringify(frame)),
    );
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        const errorsBefore = client.all('error').length;
        client.socket.send(frame);
        await client.roundTrip();
        expect(client.closeCode).toBeUndefined();
        for (const error of client.all('error').slice(errorsBefore)) {
          expect(error.data).toEqual({ code: expect.stringMatching(/^NOTIFICATIONS_ERR_/), message: expect.any(String) });
          expect(error.data.message).not.toMatch(/\n\s+at /);
        }
      }),
      { numRuns: 100 },
    );
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    await client.close();
    await expectHealthyAndVictimUntouched();
  });

  it('property: any POST /notifications body gets a contract status and stores nothing for another user on refusal', async () => {
    const bodies = fc.oneof(
      fc.anything(),
      fc.record(
        {
          userIds: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), fc.anything()),
          type: fc.oneof(fc.stringMatching(/^[a-z.]{1,10}$/), fc.anything()),
          title: fc.oneof(fc.string(), fc.anything()),
          body: fc.anything(),
          data: fc.anything(),
          priority: fc.oneof(fc.constantFrom('low', 'normal', 'high'), fc.anything()),
          ttlSeconds: fc.anything(),
          __proto__: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    const sender = senderToken('fuzz-sender');
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await request(server.baseUrl, 'POST', '/notifications', {
          token: sender,
          rawBody: JSON.stringify(body) ?? '',
          headers: { 'content-type': 'application/json' },
        });
        expect([201, 400, 413]).toContain(response.status);
        if (response.status !== 201) expect(response.body).toMatchObject({ statusCode: response.status, message: expect.anything() });
      }),
      { numRuns: 100 },
    );
    await expectHealthyAndVictimUntouched();
  });
});

import { AddressInfo } from 'node:net';
import { LoggerService } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { createServer } from '../server/src/create-server';
import { loadServerSettings } from '../server/src/server-settings';
import { startServer, temporaryDirectory, TestServer } from './support/test-server';
import { TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** Sends a raw upgrade request and returns the first bytes of the answer. */
function rawUpgrade(port: number, path: string, extraHeaders = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extraHeaders}\r\n`,
      );
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), 2000).unref();
  });
}

describe('WebSocket handshake', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const statusOf = (url: string, headers?: Record<string, string>) =>
    TestClient.connect(url, { headers }).then(
      async (client) => {
        await client.close();
        return 101;
      },
      (error) => error.status,
    );

  it('accepts a valid token in the query and sends ready first', async () => {
    const client = await TestClient.connect(`${server.wsUrl}/ws?access_token=${tokenFor('alice')}`);
    const ready = await client.next('ready');
    expect(client.frames[0].event).toBe('ready');
    expect(ready.data).toEqual({ sessionId: expect.any(String), userId: 'alice', unreadCount: 0, unseenCount: 0 });
    await client.close();
  });

  it('accepts a valid token in the Authorization header', async () => {
    const client = await TestClient.connect(`${server.wsUrl}/ws`, {
      headers: { authorization: `Bearer ${tokenFor('bob')}` },
    });
    expect((await client.next('ready')).data.userId).toBe('bob');
    await client.close();
  });

  it.each([
    ['no token', () => ''],
    ['a malformed token', () => 'not-a-jwt'],
    ['a bad signature', () => tokenFor('alice', { secret: 'another-secret-entirely-0123456789' })],
    ['an expired token', () => tokenFor('alice', { expiresIn: -120 })],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', exp: later() })}.`],
    ['no sub', () => sign({ exp: later() }, TEST_SECRET, { algorithm: 'HS256' })],
    ['no exp', () => sign({ sub: 'alice' }, TEST_SECRET, { algorithm: 'HS256', noTimestamp: true })],
    ['HS384 instead of the pinned HS256', () => sign({ sub: 'alice' }, TEST_SECRET, { algorithm: 'HS384', expiresIn: 60 })],
    ['a not-yet-valid token (nbf)', () => sign({ sub: 'alice' }, TEST_SECRET, { algorithm: 'HS256', expiresIn: 600, notBefore: 300 })],
  ])('refuses %s with 401 before the upgrade', async (_, token) => {
    expect(await statusOf(`${server.wsUrl}/ws?access_token=${token()}`)).toBe(401);
  });

  it('refuses a bad Authorization header with 401', async () => {
    expect(await statusOf(`${server.wsUrl}/ws`, { authorization: 'Basic abc' })).toBe(401);
  });

  it('refuses an `after` that is not a cursor with 400', async () => {
    expect(await statusOf(`${server.wsUrl}/ws?access_token=${tokenFor('alice')}&after=abc`)).toBe(400);
  });

  it('answers a refusal as plain HTTP, with no 101 sent first', async () => {
    const port = Number(new URL(server.baseUrl).port);
    const answer = await rawUpgrade(port, '/ws?access_token=garbage');
    expect(answer.startsWith('HTTP/1.1 401')).toBe(true);
    expect(answer).not.toContain('101');
  });

  it('keeps the token out of every log line', async () => {
    const lines: string[] = [];
    const record = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
    const logger: LoggerService = { log: record, error: record, warn: record, debug: record, verbose: record };
    const directory = temporaryDirectory();
    const settings = loadServerSettings({ JWT_SECRET: TEST_SECRET, DATABASE_URL: `sqlite:${directory.path}/db.sqlite` });
    const app = await createServer(settings, logger);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const good = tokenFor('carol');
    const bad = tokenFor('carol', { expiresIn: -120 });
    const client = await TestClient.open(`ws://127.0.0.1:${port}`, good);
    client.send('refresh', { token: 'garbage.token.value' });
    await client.waitForClose();
    await statusOf(`ws://127.0.0.1:${port}/ws?access_token=${bad}`);
    await app.close();
    directory.remove();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(good);
      expect(line).not.toContain(bad);
      expect(line).not.toContain('garbage.token.value');
    }
  });
});

describe('WebSocket handshake with an RS256 public key', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { JWT_SECRET: '', JWT_PUBLIC_KEY: publicPem, JWT_ISSUER: 'https://id.example' } });
  });
  afterAll(() => server.close());

  it('accepts an RS256 token with the configured issuer', async () => {
    const token = sign({ sub: 'dave', iss: 'https://id.example' }, privateKey, { algorithm: 'RS256', expiresIn: 60 });
    const client = await TestClient.open(server.wsUrl, token);
    expect(client.frames[0].data.userId).toBe('dave');
    await client.close();
  });

  it('refuses a wrong issuer, and an HS256 token signed with the public key (key confusion)', async () => {
    const wrongIssuer = sign({ sub: 'dave', iss: 'https://evil' }, privateKey, { algorithm: 'RS256', expiresIn: 60 });
    const confused = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'dave', iss: 'https://id.example', exp: later() })}`;
    const { createHmac } = await import('node:crypto');
    const forged = `${confused}.${createHmac('sha256', publicPem).update(confused).digest('base64url')}`;
    for (const token of [wrongIssuer, forged]) {
      await expect(TestClient.connect(`${server.wsUrl}/ws?access_token=${token}`)).rejects.toMatchObject({ status: 401 });
    }
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function later(): number {
  return Math.floor(Date.now() / 1000) + 600;
}

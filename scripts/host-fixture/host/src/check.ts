// The fixture's check, run by scripts/host-fixture/run.sh after the host's own `tsc`: boots the
// built host on a free port and does what a user of the host would, through its public surface
// only. Any failure exits non-zero with the step that failed.
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import type { ServerEvents } from 'nest-live-notifications';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { JWT_SECRET } from './app.module';
import { createApp } from './main';

type Frame = { [E in keyof ServerEvents]: { event: E; data: ServerEvents[E] } }[keyof ServerEvents];

const started = Date.now();
let app: INestApplication | undefined;

function fail(message: string): never {
  console.error(`host-fixture: FAILED: ${message}`);
  process.exit(1);
}
setTimeout(() => fail('timed out after 60 s'), 60_000).unref();

function token(sub: string, scope?: string): string {
  return jwt.sign({ sub, ...(scope ? { scope } : {}) }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 300 });
}

/** A `ws` client on the module's endpoint that keeps every frame it receives. */
function connect(url: string, bearer: string) {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${bearer}` } });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  let closed: string | undefined;
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    for (const wake of waiters) wake();
  });
  socket.once('unexpected-response', (_request, response) => {
    closed = `upgrade to ${url} refused with HTTP ${response.statusCode}`;
    for (const wake of waiters) wake();
  });
  socket.once('error', (error) => {
    closed ??= `socket error: ${error.message}`;
    for (const wake of waiters) wake();
  });
  socket.once('close', (code, reason) => {
    closed ??= `socket closed ${code} ${reason.toString()}`;
    for (const wake of waiters) wake();
  });
  function waitFor<E extends Frame['event']>(event: E, predicate: (data: ServerEvents[E]) => boolean, what: string) {
    return new Promise<ServerEvents[E]>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no ${what} within 10 s`)), 10_000);
      const check = () => {
        const frame = frames.find((f) => f.event === event && predicate(f.data as ServerEvents[E]));
        if (frame) return done(undefined, frame.data as ServerEvents[E]);
        if (closed) return done(new Error(`${closed} while waiting for ${what}`));
      };
      const done = (error?: Error, data?: ServerEvents[E]) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(data!);
      };
      waiters.add(check);
      check();
    });
  }
  return { socket, waitFor };
}

async function post(base: string, path: string, body: unknown, bearer?: string) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

function expectStatus(what: string, actual: { status: number; text: string }, expected: number) {
  if (actual.status !== expected) fail(`${what} answered ${actual.status} (expected ${expected}): ${actual.text}`);
}

/** A Socket.IO client on the host's own gateway (namespace /chat), over one transport. */
async function helloOverSocketIo(base: string, transport: 'websocket' | 'polling') {
  const client = io(`${base}/chat`, { transports: [transport], reconnection: false, timeout: 5_000 });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', (error) => reject(new Error(`Socket.IO (${transport}) could not connect: ${error.message}`)));
    });
    const answer = await client.timeout(5_000).emitWithAck('hello', { name: 'buyer' });
    if (answer?.greeting !== 'hello buyer') {
      fail(`the host's Socket.IO gateway (${transport}) answered ${JSON.stringify(answer)}`);
    }
  } finally {
    client.disconnect();
  }
}

async function main() {
  app = await createApp(['error', 'warn']);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  console.log(`host-fixture: host booted on port ${port} in ${Date.now() - started} ms (migrations run)`);

  // 1. The module's own WebSocket endpoint on the host's HTTP server, next to Socket.IO.
  const buyer = connect(`ws://127.0.0.1:${port}/ws`, token('buyer'));
  const ready = await buyer.waitFor('ready', () => true, 'ready frame');
  if (ready.userId !== 'buyer') fail(`ready frame for ${JSON.stringify(ready.userId)}, expected "buyer"`);
  console.log('host-fixture: ws client on /ws got its ready frame');

  // 2. The host's own route, through its ValidationPipe, sends through NotificationsService.
  const sentAt = Date.now();
  const order = await post(base, '/api/orders', { buyerId: 'buyer', item: 'tea', quantity: 2 });
  expectStatus('POST /api/orders', order, 201);
  if (order.json?.notification?.recipients !== 1 || order.json?.notification?.online !== 1) {
    fail(`POST /api/orders: the send reported ${JSON.stringify(order.json?.notification)}, expected 1 recipient online`);
  }
  const placed = await buyer.waitFor(
    'notification',
    (n) => n.type === 'order.placed' && n.data?.orderId === order.json.orderId,
    'notification frame for the order',
  );
  if (placed.data?.quantity !== 2) fail(`order notification carries ${JSON.stringify(placed.data)}`);
  console.log(`host-fixture: POST /api/orders → NotificationsService.send → frame in ${Date.now() - sentAt} ms`);

  // The host's global pipe is really on (whitelist + forbidNonWhitelisted).
  expectStatus(
    'POST /api/orders with an unknown field',
    await post(base, '/api/orders', { buyerId: 'buyer', item: 'tea', quantity: 1, coupon: 'x' }),
    400,
  );

  // 3. The module's REST route, under the host's global prefix, with the host's ValidationPipe in front.
  const sender = token('billing-service', 'notifications:send');
  const rest = await post(
    base,
    '/api/notifications',
    { userIds: ['buyer'], type: 'host.rest', title: 'Over REST', data: { n: 1 } },
    sender,
  );
  expectStatus('POST /api/notifications', rest, 201);
  await buyer.waitFor('notification', (n) => n.type === 'host.rest', 'notification frame for POST /api/notifications');
  console.log('host-fixture: POST /api/notifications (scope notifications:send) → 201 and frame');
  expectStatus(
    'POST /notifications (outside the global prefix)',
    await post(base, '/notifications', { userIds: ['buyer'], type: 'x', title: 'x' }, sender),
    404,
  );

  // 4. The host's own Socket.IO gateway on Nest's default adapter still answers.
  await helloOverSocketIo(base, 'websocket');
  await helloOverSocketIo(base, 'polling');
  console.log('host-fixture: Socket.IO gateway /chat answered over websocket and polling');

  buyer.socket.close();
  await app.close();
  app = undefined;
  console.log(`host-fixture: OK in ${Date.now() - started} ms`);
  process.exit(0);
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));

// A minimal Nest 12 host, as ESM and plain JavaScript (decorators applied by hand, so nothing
// needs compiling): imports the packed module from its main entry, boots on a free port,
// connects a WebSocket client and delivers one notification over REST and one via the service.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import { WebSocket } from 'ws';
import { NOTIFICATIONS_ENTITIES, NOTIFICATIONS_MIGRATIONS, NotificationsModule, NotificationsService } from 'nest-live-notifications';

const SECRET = 'nest12-smoke-secret-0123456789abcdef';
const token = (sub, scope) => jwt.sign({ sub, ...(scope ? { scope } : {}) }, SECRET, { expiresIn: 300 });

class HostModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'sqljs',
      entities: NOTIFICATIONS_ENTITIES,
      migrations: NOTIFICATIONS_MIGRATIONS,
      migrationsRun: true,
    }),
    NotificationsModule.forRoot({ jwt: { secret: SECRET } }),
  ],
})(HostModule);

function fail(message) {
  console.error(`nest12-smoke: FAILED: ${message}`);
  process.exit(1);
}
setTimeout(() => fail('timed out after 60 s'), 60_000).unref();

const app = await NestFactory.create(HostModule, { logger: ['error', 'warn'] });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const versions = (await import('@nestjs/core/package.json', { with: { type: 'json' } })).default.version;

const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?access_token=${token('alice')}`);
const frames = [];
const waitFor = (predicate, what) =>
  new Promise((resolve, reject) => {
    const check = () => {
      const frame = frames.find(predicate);
      if (frame) return resolve(frame);
    };
    socket.on('message', () => check());
    socket.once('close', (code) => reject(new Error(`socket closed ${code} while waiting for ${what}`)));
    check();
  });
socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
socket.once('unexpected-response', (_, response) => fail(`upgrade refused with HTTP ${response.statusCode}`));

try {
  const ready = await waitFor((frame) => frame.event === 'ready', 'ready');
  if (ready.data.userId !== 'alice') fail(`ready for ${ready.data.userId}`);

  const response = await fetch(`http://127.0.0.1:${port}/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token('svc', 'notifications:send')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userIds: ['alice'], type: 'smoke.rest', title: 'Over REST' }),
  });
  if (response.status !== 201) fail(`POST /notifications answered ${response.status}: ${await response.text()}`);
  await waitFor((frame) => frame.event === 'notification' && frame.data.type === 'smoke.rest', 'the REST notification');

  await app.get(NotificationsService).send({ userIds: ['alice'], type: 'smoke.service', title: 'From the service' });
  await waitFor((frame) => frame.event === 'notification' && frame.data.type === 'smoke.service', 'the service notification');

  console.log(`nest12-smoke: OK on @nestjs/core ${versions}, Node ${process.version}: ready, 2 notifications delivered`);
  socket.close();
  await app.close();
  process.exit(0);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

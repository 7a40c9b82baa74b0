import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule, NotificationsService } from '../src/index';
import { HostApps } from './support/host-app';
import { request } from './support/http';
import { TEST_SECRET, tokenFor } from './support/tokens';

/** A worker process of the host (no HTTP server) that sends through the module, on a database an app serves. */
describe('A host worker (an application context, no HTTP server)', () => {
  const hosts = new HostApps();
  let worker: INestApplicationContext | undefined;
  afterEach(async () => {
    await worker?.close();
    await hosts.closeAll();
  });
  afterAll(() => hosts.remove());

  it('boots without a WebSocket endpoint and stores what it sends, which the app then serves', async () => {
    const database = hosts.databaseOptions();
    const app = await hosts.boot({ database });

    @Module({
      imports: [
        TypeOrmModule.forRoot({ ...database, migrationsRun: false }),
        NotificationsModule.forRoot({ jwt: { secret: TEST_SECRET } }),
      ],
    })
    class WorkerModule {}
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
    const sent = await worker.get(NotificationsService).send({ userIds: ['buyer'], type: 'report.ready', title: 'From the worker' });

    const inbox = await request(app.baseUrl, 'GET', '/notifications', { token: tokenFor('buyer') });
    expect(inbox.body.items.map((item: { id: string }) => item.id)).toEqual([sent.id]);
  });
});

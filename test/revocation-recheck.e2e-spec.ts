import { AddressInfo } from 'node:net';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DeliveryMessage, InProcessDeliveryBus, NOTIFICATIONS_ENTITIES, NOTIFICATIONS_MIGRATIONS, NotificationsModule } from '../src/index';
import { request } from './support/http';
import { SseTestClient } from './support/sse-client';
import { temporaryDirectory } from './support/test-server';
import { adminToken, TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const REVOCATION_CACHE_MS = 300;

/** The in-process bus, except that every `revoke` message is lost, as on a bus cut off from a node. */
class RevokeLosingBus extends InProcessDeliveryBus {
  publish(message: DeliveryMessage): void {
    if (message.kind !== 'revoke') super.publish(message);
  }
}

/**
 * Open sessions are checked against the revocations in the database every revocation
 * interval, so a revoke whose bus message is lost still closes them (4403).
 */
describe('Revocation without its bus message', () => {
  const directory = temporaryDirectory();
  let app: INestApplication;
  let baseUrl: string;
  let wsUrl: string;
  const clients: Array<TestClient | SseTestClient> = [];

  beforeAll(async () => {
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: join(directory.path, 'notifications.sqlite'),
          entities: NOTIFICATIONS_ENTITIES,
          migrations: NOTIFICATIONS_MIGRATIONS,
          migrationsRun: true,
        }),
        NotificationsModule.forRoot({
          jwt: { secret: TEST_SECRET },
          deliveryBus: new RevokeLosingBus(),
          revocationCacheMs: REVOCATION_CACHE_MS,
        }),
      ],
    })
    class HostModule {}
    app = await NestFactory.create(HostModule, { logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    [baseUrl, wsUrl] = [`http://127.0.0.1:${port}`, `ws://127.0.0.1:${port}`];
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(async (client) => client.close()));
  });
  afterAll(async () => {
    await app.close();
    directory.remove();
  });

  const connect = async (userId: string) => {
    const socket = await TestClient.open(wsUrl, tokenFor(userId));
    const stream = await SseTestClient.connect(baseUrl, tokenFor(userId));
    clients.push(socket, stream);
    return { socket, stream };
  };
  const closedWith4403 = async ({ socket, stream }: Awaited<ReturnType<typeof connect>>) => {
    // Two intervals at most, with room for a busy machine.
    expect(await socket.waitForClose(10 * REVOCATION_CACHE_MS)).toBe(4403);
    expect((await stream.next('close', 10 * REVOCATION_CACHE_MS)).data).toEqual({ code: 4403, reason: 'access revoked' });
  };

  it('closes the WebSocket and event stream of a user revoked on this node', async () => {
    const carl = await connect('carl');
    const bystander = await connect('dora');
    expect((await request(baseUrl, 'POST', '/users/carl/revoke', { token: adminToken() })).status).toBe(204);

    await closedWith4403(carl);
    await bystander.socket.roundTrip();
    expect(bystander.socket.closeCode).toBeUndefined();
    expect(bystander.stream.all('close')).toEqual([]);
  });

  it('closes them when the revocation reached only the database (written by another node)', async () => {
    const erin = await connect('erin');
    await app
      .get(DataSource)
      .query('INSERT INTO notification_revocations (user_id, revoked_before) VALUES (?, ?)', ['erin', new Date().toISOString()]);

    await closedWith4403(erin);
  });
});

import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { NOTIFICATIONS_ENTITIES, NOTIFICATIONS_MIGRATIONS, NotificationsModule } from '../src/index';
import { request } from './support/http';
import { startServer, temporaryDirectory, TestServer } from './support/test-server';
import { TEST_SECRET } from './support/tokens';

/** Every REST route of the contract this server implements, with the statuses it documents. */
const CONTRACT_ROUTES: Array<[path: string, method: string, statuses: string[]]> = [
  ['/notifications', 'post', ['201', '400', '401', '403', '413', '415']],
  ['/notifications', 'get', ['200', '400', '401']],
  ['/notifications/unread-count', 'get', ['200', '401']],
  ['/notifications/{id}/read', 'post', ['204', '401', '404']],
  ['/notifications/read-all', 'post', ['200', '401']],
  ['/notifications/{id}', 'delete', ['204', '401', '404']],
  ['/health', 'get', ['200', '503']],
  ['/health/ready', 'get', ['200', '503']],
  ['/health/live', 'get', ['200']],
  ['/metrics', 'get', ['200', '401']],
];

describe('OpenAPI at /docs and /docs-json', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('documents every route with its statuses, DTOs and bearer auth', async () => {
    const response = await request(server.baseUrl, 'GET', '/docs-json');
    expect(response.status).toBe(200);
    const document = response.body;
    expect(document.openapi).toMatch(/^3\./);
    for (const [path, method, statuses] of CONTRACT_ROUTES) {
      const operation = document.paths[path]?.[method];
      expect({ path, method, documented: Boolean(operation) }).toEqual({ path, method, documented: true });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
    }
    const send = document.paths['/notifications'].post;
    expect(send.security).toEqual([{ bearer: [] }]);
    expect(send.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SendNotificationDto');
    expect(send.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    const body = document.components.schemas.SendNotificationDto;
    expect(body.required).toEqual(expect.arrayContaining(['userIds', 'type', 'title']));
    expect(body.properties.userIds).toMatchObject({ type: 'array', maxItems: 1000 });
    expect(body.properties.priority.enum).toEqual(['low', 'normal', 'high']);
    expect(document.components.schemas.NotificationResponse.properties.cursor.type).toBe('string');
    expect(document.paths['/notifications'].get.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      'before',
      'limit',
      'unread',
    ]);
    expect(document.paths['/health'].get.security).toBeUndefined();
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await request(server.baseUrl, 'GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.body).toContain('swagger-ui');
  });

  it('is off with DOCS_ENABLED=false', async () => {
    const closed = await startServer({ env: { DOCS_ENABLED: 'false' } });
    try {
      expect((await request(closed.baseUrl, 'GET', '/docs')).status).toBe(404);
      expect((await request(closed.baseUrl, 'GET', '/docs-json')).status).toBe(404);
    } finally {
      await closed.close();
    }
  });

  it("puts the module's routes into a host app's own document", async () => {
    const directory = temporaryDirectory();
    @Controller('orders')
    class OrdersController {
      @Get()
      list() {
        return [];
      }
    }
    @Module({
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: join(directory.path, 'host.sqlite'),
          entities: NOTIFICATIONS_ENTITIES,
          migrations: NOTIFICATIONS_MIGRATIONS,
          migrationsRun: true,
        }),
        NotificationsModule.forRoot({ jwt: { secret: TEST_SECRET } }),
      ],
      controllers: [OrdersController],
    })
    class HostModule {}
    const app = await NestFactory.create(HostModule, { logger: false });
    app.useWebSocketAdapter(new WsAdapter(app));
    try {
      await app.init();
      const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('Host').addBearerAuth().build());
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/orders', '/notifications', '/notifications/unread-count', '/notifications/{id}/read']),
      );
      expect(document.components?.schemas?.SendNotificationDto).toBeDefined();
    } finally {
      await app.close();
      directory.remove();
    }
  });
});

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

type Security = 'bearer' | 'metrics' | 'none';

/**
 * Every REST route of the contract (section 4), plus the two extra health probes, with the
 * success status, every error status and the security the document must give it. `GET /docs`
 * is the document itself (the UI test below).
 */
const CONTRACT_ROUTES: Array<{ path: string; method: string; success: string; errors: string[]; security: Security }> = [
  { path: '/notifications', method: 'post', success: '201', errors: ['400', '401', '403', '413', '415', '429'], security: 'bearer' },
  { path: '/notifications', method: 'get', success: '200', errors: ['400', '401', '429'], security: 'bearer' },
  { path: '/notifications/unread-count', method: 'get', success: '200', errors: ['401'], security: 'bearer' },
  { path: '/notifications/{id}/read', method: 'post', success: '204', errors: ['400', '401', '404'], security: 'bearer' },
  { path: '/notifications/read-all', method: 'post', success: '200', errors: ['400', '401'], security: 'bearer' },
  { path: '/notifications/counts', method: 'get', success: '200', errors: ['401'], security: 'bearer' },
  { path: '/notifications/seen', method: 'post', success: '200', errors: ['400', '401', '404'], security: 'bearer' },
  { path: '/notifications/archive-all', method: 'post', success: '200', errors: ['400', '401'], security: 'bearer' },
  { path: '/notifications/{id}/unread', method: 'post', success: '204', errors: ['400', '401', '404'], security: 'bearer' },
  { path: '/notifications/{id}/archive', method: 'post', success: '204', errors: ['400', '401', '404'], security: 'bearer' },
  { path: '/notifications/{id}/unarchive', method: 'post', success: '204', errors: ['400', '401', '404'], security: 'bearer' },
  { path: '/notifications/{id}', method: 'delete', success: '204', errors: ['400', '401', '404'], security: 'bearer' },
  {
    path: '/notifications/{id}/snooze',
    method: 'post',
    success: '204',
    errors: ['400', '401', '404', '413', '415'],
    security: 'bearer',
  },
  { path: '/notifications/stream', method: 'get', success: '200', errors: ['400', '401'], security: 'bearer' },
  { path: '/notifications/scheduled', method: 'get', success: '200', errors: ['400', '401', '403'], security: 'bearer' },
  {
    path: '/notifications/scheduled/{id}',
    method: 'patch',
    success: '200',
    errors: ['400', '401', '403', '404', '413', '415'],
    security: 'bearer',
  },
  { path: '/notifications/scheduled/{id}', method: 'delete', success: '204', errors: ['400', '401', '403', '404'], security: 'bearer' },
  { path: '/topics/{topic}/subscribers/{userId}', method: 'put', success: '204', errors: ['400', '401', '403', '404'], security: 'bearer' },
  { path: '/topics/{topic}/subscribers/{userId}', method: 'delete', success: '204', errors: ['400', '401', '403'], security: 'bearer' },
  { path: '/presence/{userId}', method: 'get', success: '200', errors: ['400', '401', '403'], security: 'bearer' },
  { path: '/users/{userId}/revoke', method: 'post', success: '204', errors: ['400', '401', '403'], security: 'bearer' },
  { path: '/notifications/sent', method: 'get', success: '200', errors: ['400', '401', '403'], security: 'bearer' },
  { path: '/users/{userId}/data', method: 'get', success: '200', errors: ['400', '401', '403'], security: 'bearer' },
  { path: '/users/{userId}/data', method: 'delete', success: '204', errors: ['400', '401', '403'], security: 'bearer' },
  { path: '/preferences', method: 'get', success: '200', errors: ['401'], security: 'bearer' },
  { path: '/preferences', method: 'put', success: '200', errors: ['400', '401', '413', '415'], security: 'bearer' },
  { path: '/users/{userId}/preferences', method: 'get', success: '200', errors: ['400', '401', '403'], security: 'bearer' },
  { path: '/users/{userId}/preferences', method: 'put', success: '200', errors: ['400', '401', '403', '413', '415'], security: 'bearer' },
  { path: '/health', method: 'get', success: '200', errors: ['503'], security: 'none' },
  { path: '/health/ready', method: 'get', success: '200', errors: ['503'], security: 'none' },
  { path: '/health/live', method: 'get', success: '200', errors: [], security: 'none' },
  { path: '/metrics', method: 'get', success: '200', errors: ['401'], security: 'metrics' },
  // Channels beyond the socket (Web Push, email, webhooks).
  { path: '/notifications/{id}/deliveries', method: 'get', success: '200', errors: ['400', '401', '404'], security: 'bearer' },
  { path: '/push/vapid-public-key', method: 'get', success: '200', errors: ['401', '404'], security: 'bearer' },
  { path: '/push/subscriptions', method: 'post', success: '201', errors: ['400', '401', '404', '413', '415'], security: 'bearer' },
  { path: '/push/subscriptions', method: 'delete', success: '204', errors: ['400', '401', '404', '413', '415'], security: 'bearer' },
  { path: '/health/channels', method: 'get', success: '200', errors: ['503'], security: 'none' },
];

const SECURITY: Record<Security, unknown> = { bearer: [{ bearer: [] }], metrics: [{ metrics: [] }], none: undefined };

describe('OpenAPI at /docs and /docs-json', () => {
  let server: TestServer;
  let document: any;

  beforeAll(async () => {
    server = await startServer();
    const response = await request(server.baseUrl, 'GET', '/docs-json');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(() => server.close());

  it.each(CONTRACT_ROUTES)(
    'documents $method $path: summary, tag, security, every status, error bodies',
    ({ path, method, success, errors, security }) => {
      const operation = document.paths[path]?.[method];
      expect({ path, method, documented: Boolean(operation) }).toEqual({ path, method, documented: true });
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.tags).toHaveLength(1);
      expect(operation.security).toEqual(SECURITY[security]);
      expect(Object.keys(operation.responses).sort()).toEqual([success, ...errors].sort());
      for (const status of errors.filter((error) => error.startsWith('4'))) {
        expect({ status, schema: operation.responses[status].content?.['application/json']?.schema }).toEqual({
          status,
          schema: { $ref: '#/components/schemas/ErrorResponse' },
        });
      }
      const body = operation.responses[success].content;
      if (success === '204') expect(body).toBeUndefined();
      else expect(Object.values(body ?? {})).toEqual([expect.objectContaining({ schema: expect.any(Object) })]);
    },
  );

  it("says that with tenancy the tenant comes from the token's claim and ids are the tenant's own", () => {
    expect(document.info.description).toMatch(/Tenants.*TENANT_CLAIM.*claim of its token.*tenant's own/s);
    const userIdParameters = Object.entries<any>(document.paths)
      .filter(([path]) => path.includes('{userId}'))
      .flatMap(([, operations]) => Object.values<any>(operations))
      .map((operation) => operation.parameters.find((parameter: { name: string }) => parameter.name === 'userId').description);
    expect(userIdParameters.length).toBeGreaterThanOrEqual(7);
    for (const description of userIdParameters) expect(description).toMatch(/With tenancy, the id of a user of the caller's tenant/);
    const senderId = document.paths['/notifications/sent'].get.parameters.find(
      (parameter: { name: string }) => parameter.name === 'senderId',
    );
    expect(senderId.description).toMatch(/with tenancy, of the caller's tenant/);
  });

  it('documents the send body: every field, and the audience as one of three optional fields', () => {
    expect(document.openapi).toMatch(/^3\./);
    const send = document.paths['/notifications'].post;
    expect(send.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SendNotificationDto');
    expect(send.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    const body = document.components.schemas.SendNotificationDto;
    expect([...body.required].sort()).toEqual(['title', 'type']);
    expect(Object.keys(body.properties).sort()).toEqual(
      [
        'actions',
        'body',
        'broadcast',
        'critical',
        'data',
        'deliverAt',
        'groupKey',
        'priority',
        'title',
        'topic',
        'ttlSeconds',
        'type',
        'userIds',
      ].sort(),
    );
    expect(body.properties.userIds).toMatchObject({ type: 'array', minItems: 1, maxItems: 1000 });
    expect(body.properties.topic).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' });
    expect(body.properties.broadcast).toMatchObject({ type: 'boolean' });
    expect(body.properties.deliverAt).toMatchObject({ type: 'string', format: 'date-time' });
    for (const audience of ['userIds', 'topic', 'broadcast']) expect(body.properties[audience].description).toMatch(/exactly one of/);
    expect(body.description).toMatch(/exactly one of/);
    expect(body.properties.priority.enum).toEqual(['low', 'normal', 'high']);
    expect(body.properties.actions).toMatchObject({
      type: 'array',
      maxItems: 3,
      items: { $ref: '#/components/schemas/NotificationActionBody' },
    });
    expect(document.components.schemas.NotificationActionBody).toMatchObject({
      required: ['id', 'label'],
      properties: { id: { pattern: '^[a-z0-9_-]{1,40}$' }, label: { maxLength: 60 }, style: { enum: ['primary', 'secondary', 'danger'] } },
    });
    expect(body.properties.groupKey).toMatchObject({ type: 'string', maxLength: 100 });
    expect(document.components.schemas.NotificationResponse.properties.cursor.type).toBe('string');
    const notification = document.components.schemas.NotificationResponse;
    for (const field of ['actions', 'actionId', 'actionedAt', 'groupKey', 'groupCount', 'replaces'])
      expect(notification.required).toContain(field);
    const take = document.paths['/notifications/{id}/actions/{actionId}'].post;
    expect(Object.keys(take.responses).sort()).toEqual(['200', '400', '401', '404', '409']);
    expect(take.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ActionTakenResponse');
    expect(document.paths['/notifications'].get.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      'after',
      'archived',
      'before',
      'limit',
      'seen',
      'since',
      'topic',
      'type',
      'unread',
      'wait',
    ]);
  });

  it('documents the inbox states: seenAt and archivedAt, the counts, and the bodies of seen, read-all and archive-all', () => {
    const notification = document.components.schemas.NotificationResponse;
    expect(notification.properties.seenAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(notification.properties.archivedAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(notification.required).toEqual(expect.arrayContaining(['seenAt', 'archivedAt']));
    expect(document.components.schemas.InboxCountsResponse.required.sort()).toEqual(['byTopic', 'byType', 'unread', 'unseen']);
    const body = (path: string) => document.paths[path].post.requestBody.content['application/json'].schema.$ref.split('/').pop();
    expect(Object.keys(document.components.schemas[body('/notifications/seen')].properties).sort()).toEqual(['all', 'ids']);
    expect(Object.keys(document.components.schemas[body('/notifications/read-all')].properties).sort()).toEqual(['topic', 'type']);
    expect(Object.keys(document.components.schemas[body('/notifications/archive-all')].properties).sort()).toEqual([
      'read',
      'topic',
      'type',
    ]);
  });

  it('documents the preferences body and answer, the send result with suppressed, and critical on a notification', () => {
    const put = document.paths['/preferences'].put;
    expect(put.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/PreferencesBody');
    expect(put.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/PreferencesResponse');
    const body = document.components.schemas.PreferencesBody;
    expect(Object.keys(body.properties).sort()).toEqual(['channels', 'email', 'quietHours', 'topics', 'types']);
    expect(body.required ?? []).toEqual([]);
    expect(body.properties.types).toMatchObject({
      maxProperties: 200,
      additionalProperties: { $ref: '#/components/schemas/ChannelSwitchesBody' },
    });
    expect(Object.keys(document.components.schemas.ChannelSwitchesBody.properties).sort()).toEqual(['email', 'inApp', 'push']);
    expect([...document.components.schemas.PreferencesResponse.required].sort()).toEqual([
      'channels',
      'email',
      'quietHours',
      'topics',
      'types',
    ]);
    expect(document.components.schemas.SendResultResponse.required).toContain('suppressed');
    expect(document.components.schemas.NotificationResponse.properties.critical).toMatchObject({ type: 'boolean' });
  });

  it('documents the stream as text/event-stream with its resume and token parameters, and presence with its body', () => {
    const stream = document.paths['/notifications/stream'].get;
    expect(Object.keys(stream.responses['200'].content)).toEqual(['text/event-stream']);
    expect(stream.parameters.map(({ name, in: where }: { name: string; in: string }) => `${where}:${name}`).sort()).toEqual([
      'header:Last-Event-ID',
      'query:access_token',
      'query:lastEventId',
    ]);
    expect(document.paths['/presence/{userId}'].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/PresenceResponse',
    );
    expect(document.components.schemas.PresenceResponse.properties).toEqual({
      online: expect.objectContaining({ type: 'boolean' }),
      sessions: expect.objectContaining({ type: 'number' }),
    });
    expect(Object.keys(document.paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain']);
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

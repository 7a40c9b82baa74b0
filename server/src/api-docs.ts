import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The standalone server's OpenAPI document: every controller of the app, bearer auth. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Live notifications')
    .setDescription(
      'REST routes of the notification server. The WebSocket protocol (/ws) is described by the ' +
        'AsyncAPI document docs/asyncapi.json in the repository.\n\n' +
        "**Tenants.** With tenancy on (TENANT_CLAIM), the caller's tenant comes from that claim of its token " +
        '(401 without it), never from a route or a body. Every user id, sender id and topic in routes, ' +
        "queries, bodies and answers is the tenant's own (a token's `sub` of that tenant): a route reaches " +
        "the caller's tenant only, and another tenant's notification is a 404.",
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when set' }, 'metrics')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the Swagger UI at `/docs` and the JSON document at `/docs-json`. */
export function serveApiDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => createApiDocument(app), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The standalone server's OpenAPI document: every controller of the app, bearer auth. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Live notifications')
    .setDescription(
      'REST routes of the notification server. The WebSocket protocol (/ws) is described by the ' +
        'AsyncAPI document docs/asyncapi.json in the repository.',
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

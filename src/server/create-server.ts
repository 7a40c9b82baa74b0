import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { LoggerService } from '@nestjs/common';
import { serveApiDocs } from './api-docs';
import { MAX_REQUEST_BYTES } from '../notifications/json-request.guard';
import { ServerSettings } from './server-settings';
import { ServerModule } from './server.module';

/** Builds the standalone server (not yet listening): used by `main.ts` and the e2e tests. */
export async function createServer(
  settings: ServerSettings,
  logger?: LoggerService | false,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ServerModule.register(settings), {
    bodyParser: false,
    logger: logger ?? undefined,
  });
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.useWebSocketAdapter(new WsAdapter(app));
  if (settings.operations.docsEnabled) serveApiDocs(app);
  return app;
}

import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { LoggerService } from '@nestjs/common';
import { MAX_REQUEST_BYTES } from '../notifications/json-request.guard';
import { InFlightRequests } from './in-flight-requests';
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
  // First, so that shutdown waits for every request, refused ones included.
  app.use(app.get(InFlightRequests).track);
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.useWebSocketAdapter(new WsAdapter(app));
  // The same allowlist as the upgrade: a browser page from another origin may not call the API.
  if (settings.websocket.allowedOrigins) app.enableCors({ origin: settings.websocket.allowedOrigins });
  return app;
}

import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { LoggerService } from '@nestjs/common';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { serveApiDocs } from './api-docs';
import { MAX_REQUEST_BYTES } from '../notifications/json-request.guard';
import { InFlightRequests } from './in-flight-requests';
import { ServerSettings } from './server-settings';
import { ServerModule } from './server.module';

export interface CreateServerOptions {
  /** Where the structured log goes instead of stdout (tests read it back). */
  logDestination?: DestinationStream;
}

/**
 * Builds the standalone server (not yet listening): used by `main.ts` and the e2e tests.
 * Without a `logger`, Nest's own logs go through pino with the request logs (docs/operations.md);
 * `false` silences both.
 */
export async function createServer(
  settings: ServerSettings,
  logger?: LoggerService | false,
  options: CreateServerOptions = {},
): Promise<NestExpressApplication> {
  const usePino = logger === undefined;
  const logging = { destination: options.logDestination, silent: logger === false && !options.logDestination };
  const app = await NestFactory.create<NestExpressApplication>(ServerModule.register(settings, logging), {
    bodyParser: false,
    logger: usePino ? undefined : logger,
    // Lines logged while the app is built wait for pino instead of going to the console.
    bufferLogs: usePino,
  });
  if (usePino) app.useLogger(app.get(PinoLogger));
  // First, so that shutdown waits for every request, refused ones included.
  app.use(app.get(InFlightRequests).track);
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.useWebSocketAdapter(new WsAdapter(app));
  // The same allowlist as the upgrade: a browser page from another origin may not call the API.
  if (settings.websocket.allowedOrigins) app.enableCors({ origin: settings.websocket.allowedOrigins });
  if (settings.operations.docsEnabled) serveApiDocs(app);
  return app;
}

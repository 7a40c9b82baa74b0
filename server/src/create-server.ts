import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerService } from '@nestjs/common';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { serveApiDocs } from './api-docs';
import { MAX_REQUEST_BYTES } from 'nest-live-notifications';
import { InFlightRequests } from './in-flight-requests';
import { createLogger, logRequests, requestIdOf } from './logging';
import { registerRequestBodies } from './request-bodies';
import { ServerSettings } from './server-settings';
import { ServerModule } from './server.module';

export interface CreateServerOptions {
  /** Where the structured log goes instead of stdout (tests read it back). */
  logDestination?: DestinationStream;
}

/** Route parameters are user ids and topics of up to 255 characters (Fastify's default stops at 100). */
const MAX_PARAMETER_LENGTH = 1024;

/**
 * Builds the standalone server (not yet listening): used by `main.ts` and the e2e tests.
 * It runs on Fastify, which costs much less CPU per request than Express (BENCHMARKS.md);
 * the module's controllers and gateway work on either platform, so host apps keep theirs.
 * Without a `logger`, Nest's own logs go through pino with the request logs
 * (docs/operations.md); `false` silences both.
 */
export async function createServer(
  settings: ServerSettings,
  logger?: LoggerService | false,
  options: CreateServerOptions = {},
): Promise<NestFastifyApplication> {
  const usePino = logger === undefined;
  const requestLogger = createLogger({
    settings: settings.operations,
    destination: options.logDestination,
    silent: logger === false && !options.logDestination,
  });
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_REQUEST_BYTES,
    routerOptions: { maxParamLength: MAX_PARAMETER_LENGTH, ignoreTrailingSlash: true },
    genReqId: requestIdOf,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ServerModule.register(settings, requestLogger), adapter, {
    // registerRequestBodies installs the only body parsers.
    bodyParser: false,
    logger: usePino ? undefined : logger,
    // Lines logged while the app is built wait for pino instead of going to the console.
    bufferLogs: usePino,
  });
  if (usePino) app.useLogger(app.get(PinoLogger));
  const fastify = app.getHttpAdapter().getInstance();
  // First, so that shutdown waits for every request, refused ones included.
  const inFlight = app.get(InFlightRequests);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    inFlight.track(request.raw, reply.raw, done);
  });
  logRequests(fastify, requestLogger);
  registerRequestBodies(fastify);
  // The same allowlist as the upgrade: a browser page from another origin may not call the API.
  if (settings.websocket.allowedOrigins) app.enableCors({ origin: settings.websocket.allowedOrigins });
  if (settings.operations.docsEnabled) serveApiDocs(app);
  return app;
}

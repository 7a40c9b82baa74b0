import { DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { destination as fileDestination, DestinationStream, LoggerOptions } from 'pino';
import { OperationsSettings } from './server-settings';

/**
 * Token fields, should any logged object carry one. Request lines hold no headers or query
 * but the allowlisted ones (serializeRequest), so there is nothing else to redact there.
 */
export const REDACTED_PATHS = ['token', '*.token', 'access_token', '*.access_token'];

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/**
 * The request headers a log line carries. An allowlist, not every header with secrets
 * redacted: a header nobody thought of (`X-Api-Key`) never leaks, and a line costs a fraction
 * of serializing and redacting them all (the largest part of logging a request).
 */
const LOGGED_HEADERS = ['host', 'user-agent', 'content-type', 'content-length', 'x-forwarded-for'];

/** Probes and scrapes every few seconds would drown the log; their failures still show in metrics. */
const QUIET_PATHS = /^\/(health(\/|$|\?)|metrics(\?|$))/;

/** `?access_token=…` (and any other token-like query value) replaced in a URL that is about to be logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_token|token|refresh_token|id_token)=)[^&#]*/gi, '$1[REDACTED]');
}

export interface LoggingOptions {
  settings: OperationsSettings;
  /** Where lines go instead of stdout (tests). */
  destination?: DestinationStream;
  /** No lines at all (tests that pass `logger: false`). */
  silent?: boolean;
}

/**
 * nestjs-pino for the standalone server: one JSON line per request (with its id) and per
 * Nest log call in production; pino-pretty in development. Tokens are redacted everywhere.
 */
export function loggingModule({ settings, destination, silent }: LoggingOptions): DynamicModule {
  const options: LoggerOptions & Record<string, unknown> = {
    level: silent ? 'silent' : settings.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    // Fastify gave the request its id already (requestIdOf); pino-http logs that one.
    genReqId: (request: IncomingMessage & { id?: string }) => request.id ?? requestIdOf(request),
    autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(pathOf(request)) },
    // The serializers get Node's request and response, not pino's serialized copies of them.
    wrapSerializers: false,
    serializers: { req: serializeRequest, res: (response: ServerResponse) => ({ statusCode: response.statusCode }) },
  };
  if (!destination && settings.logFormat === 'pretty') {
    options.transport = { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } };
    return LoggerModule.forRoot({ pinoHttp: options });
  }
  // Asynchronous: a line never blocks the event loop on a slow stdout, lines logged while a
  // write is in flight go out together, and nothing waits for a batch to fill (the
  // "Listening on" line appears at once). pino flushes the rest when the process exits.
  const lines = destination ?? fileDestination({ dest: 1, sync: false });
  return LoggerModule.forRoot({ pinoHttp: [options, lines] });
}

/** What a log line says of a request: never a token, whatever the client sent. */
function serializeRequest(request: IncomingMessage & { id?: string }) {
  const headers: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return { id: request.id, method: request.method, url: redactUrl(pathOf(request)), remoteAddress: request.socket?.remoteAddress, headers };
}

/** The caller's `X-Request-Id` when it is sane (a proxy set it), else a new one. The server echoes it on the response. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The request's path as the client sent it: middleware sees `url` relative to where it is mounted. */
function pathOf(request: IncomingMessage & { originalUrl?: string }): string {
  return request.originalUrl ?? request.url ?? '';
}

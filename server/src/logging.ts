import { DynamicModule } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { destination as fileDestination, DestinationStream, Logger, LoggerOptions, pino } from 'pino';
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

/**
 * Query parameters whose values a log line shows: the routes' own (contract sections 3, 4
 * and 7), none of which carries a secret. An allowlist, as for headers: the value of any
 * other parameter (`access_token` however it is spelled, `token` for the inbox page, a name
 * nobody thought of) is withheld.
 */
const LOGGED_QUERY_PARAMETERS = new Set([
  'after',
  'before',
  'limit',
  'unread',
  'lastEventId',
  'archived',
  'seen',
  'type',
  'topic',
  'since',
  'wait',
]);

/**
 * A URL as it may be logged: each query value replaced by `[REDACTED]` unless its parameter is
 * allowlisted. Names are compared as the server reads them, percent-decoded by URLSearchParams
 * (what extractBearerToken uses), so `?access%5Ftoken=` and `?%61ccess_token=`, which the
 * server accepts as `access_token`, are redacted too; the raw name is kept for the reader.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const pairs = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair; // a bare name has no value to hide
      const [name] = new URLSearchParams(pair).keys();
      return LOGGED_QUERY_PARAMETERS.has(name) ? pair : `${pair.slice(0, equals)}=[REDACTED]`;
    });
  return `${url.slice(0, queryStart)}?${pairs.join('&')}`;
}

export interface LoggingOptions {
  settings: OperationsSettings;
  /** Where lines go instead of stdout (tests). */
  destination?: DestinationStream;
  /** No lines at all (tests that pass `logger: false`). */
  silent?: boolean;
}

/**
 * The standalone server's pino logger: JSON lines in production, pino-pretty in development,
 * tokens redacted everywhere.
 */
export function createLogger({ settings, destination, silent }: LoggingOptions): Logger {
  const options: LoggerOptions = {
    level: silent ? 'silent' : settings.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    serializers: { req: serializeRequest, res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }) },
  };
  if (!destination && settings.logFormat === 'pretty') return pino(options, prettyLines(stdoutInBatches()));
  return pino(options, destination ?? stdoutInBatches());
}

/** Lines wait for this many bytes to go out together, or for LOG_FLUSH_MS. */
const LOG_BATCH_BYTES = 4096;
/** At most this long between a line and its write, however quiet the server. */
const LOG_FLUSH_MS = 100;

/**
 * Standard output, asynchronously and in batches: a line never blocks the event loop on a slow
 * stdout, and a write system call carries about ten request lines instead of one (a write per
 * line costs a system call per request: bench/micro/log-writes.js measures the difference).
 * A line is written within LOG_FLUSH_MS; pino writes what is
 * pending when the process exits. pino's destination turns EPIPE (stdout's reader is gone)
 * into dropping lines: a server whose log pipe broke keeps serving and still stops on SIGTERM.
 */
function stdoutInBatches(): DestinationStream {
  return fileDestination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
}

/**
 * pino-pretty in this thread, writing to the same stdout as JSON lines do. Not pino's
 * `transport` (a worker thread): once stdout's reader is gone (EPIPE) that worker stalls, and
 * at exit pino waits for it to flush, 10 s and then 10 s more, so SIGTERM took 20 s and ended
 * in an error. Here a broken stdout is the destination's EPIPE, which drops the lines.
 * Formatting costs the event loop what the worker spared it; pretty is for development.
 */
function prettyLines(stdout: DestinationStream): DestinationStream {
  // A devDependency (LOG_FORMAT=pretty is refused without it): loaded only when asked for.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prettyFactory } = require('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({ singleLine: true, translateTime: 'SYS:HH:MM:ss.l' });
  return { write: (line: string) => stdout.write(prettify(line)) };
}

/**
 * Nest's own log calls through `logger` (nestjs-pino). Its per-request middleware is not
 * mounted: it runs every request in an AsyncLocalStorage, which on Node 20 hooks every promise
 * of the process (a large share of what a send allocated). Requests are logged by
 * {@link logRequests} instead, so a Nest log line written during a request does not carry `req`.
 */
export function loggingModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] });
}

/** One line per answered request, with its id (Fastify's, from requestIdOf), status and time. */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  // A request line holds only what serializeRequest picked (the URL already redacted), the
  // status and the time: no field to redact, so its lines skip the redaction walk.
  const lines = logger.child({}, { redact: [] });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (lines.isLevelEnabled('info') && !QUIET_PATHS.test(request.url)) {
      const responseTime = Math.round(reply.elapsedTime);
      lines.info({ req: request, res: reply, responseTime }, reply.statusCode >= 500 ? 'request errored' : 'request completed');
    }
    done();
  });
}

/** What a log line says of a request: never a token, whatever the client sent. */
function serializeRequest(request: FastifyRequest) {
  const headers: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return { id: request.id, method: request.method, url: redactUrl(request.url), remoteAddress: request.socket?.remoteAddress, headers };
}

/** The caller's `X-Request-Id` when it is sane (a proxy set it), else a new one. The server echoes it on the response. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

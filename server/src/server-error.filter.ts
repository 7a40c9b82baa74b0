import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';

/** PostgreSQL SQLSTATEs that mean "the server is not there right now", not "your query is wrong". */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;
/** Socket errors of the driver while it connects or mid-query. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres reports a lost or unobtainable connection by message only. */
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended/i;

/** Whether an error says the database cannot be reached (as opposed to a bug or bad data). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error as any, depth = 0; cause && depth < 4; cause = cause.driverError ?? cause.cause, depth++) {
    if (typeof cause.code === 'string' && (UNAVAILABLE_SQLSTATES.test(cause.code) || UNAVAILABLE_SOCKET_CODES.has(cause.code))) {
      return true;
    }
    if (typeof cause.message === 'string' && UNAVAILABLE_MESSAGES.test(cause.message)) return true;
  }
  return false;
}

/**
 * How the standalone server answers a failed request, whatever the HTTP platform:
 * - 503 instead of 500 when the database is unreachable: the client may retry, and nothing
 *   was half-written (every change is one transaction);
 * - Nest's `{statusCode, message, error}` for the errors the platform raises before a
 *   handler runs (Fastify's "body too large" reaches Nest as a bare message);
 * - everything else as Nest's default handling answers it.
 */
@Catch()
export class ServerErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('ServerError');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`Database unavailable: ${(exception as Error).message}`);
      return this.reply(host, HttpStatus.SERVICE_UNAVAILABLE, 'The database is unavailable; retry shortly');
    }
    if (exception instanceof HttpException && typeof exception.getResponse() === 'string') {
      return this.reply(host, exception.getStatus(), exception.getResponse() as string);
    }
    return super.catch(exception, host);
  }

  private reply(host: ArgumentsHost, statusCode: number, message: string): void {
    const body = { statusCode, message, error: STATUS_CODES[statusCode] ?? 'Error' };
    this.httpAdapterHost!.httpAdapter.reply(host.switchToHttp().getResponse(), body, statusCode);
  }
}

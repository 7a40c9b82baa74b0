import { ArgumentsHost, Catch, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

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
 * Answers 503 instead of 500 when a request fails because the database is unreachable:
 * the client may retry, and nothing was half-written (every change is one transaction).
 * Every other error goes to Nest's default handling.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('DatabaseUnavailable');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !isDatabaseUnavailable(exception)) return super.catch(exception, host);
    this.logger.warn(`Database unavailable: ${(exception as Error).message}`);
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .json({ statusCode: 503, message: 'The database is unavailable; retry shortly', error: 'Service Unavailable' });
  }
}

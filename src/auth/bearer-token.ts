import { IncomingMessage } from 'node:http';

type TokenCarrier = Pick<IncomingMessage, 'headers' | 'url'>;

/** `Authorization: Bearer <jwt>`: how every client that can set a header sends its token. */
export function headerBearerToken(request: Pick<IncomingMessage, 'headers'>): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

/**
 * `?access_token=<jwt>` (RFC 6750 §2.3), read as the server reads every query: percent-decoded
 * by URLSearchParams. Only for requests whose client cannot set headers (a browser's WebSocket
 * and EventSource): a token in a URL ends up in proxy logs, browser history and Referer headers.
 */
export function queryAccessToken(request: Pick<IncomingMessage, 'url'>): string | undefined {
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return undefined;
  return new URLSearchParams(url.slice(queryStart + 1)).get('access_token') ?? undefined;
}

/**
 * The token of a request that may carry it in the query: the `Authorization` header when there
 * is one (even a malformed one: then none), else `?access_token=`.
 */
export function extractBearerToken(request: TokenCarrier): string | undefined {
  return request.headers.authorization ? headerBearerToken(request) : queryAccessToken(request);
}

import { IncomingMessage } from 'node:http';

/**
 * The token of a request: `Authorization: Bearer <jwt>`, else the `access_token` query
 * parameter (browsers cannot set headers on WebSocket or EventSource).
 */
export function extractBearerToken(request: Pick<IncomingMessage, 'headers' | 'url'>): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : undefined;
  }
  const url = request.url ?? '';
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return undefined;
  return new URLSearchParams(url.slice(queryStart + 1)).get('access_token') ?? undefined;
}

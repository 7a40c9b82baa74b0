import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ServerResponse } from 'node:http';

/**
 * An AbortSignal that aborts when the response closes before it was sent: the client left
 * (or its connection dropped) while the handler was still working, a long poll waiting, say.
 * Works on Express (whose response is Node's) and Fastify (the reply's `raw`).
 */
export const ClientGone = createParamDecorator((_: unknown, context: ExecutionContext): AbortSignal => {
  const reply: ServerResponse | { raw: ServerResponse } = context.switchToHttp().getResponse();
  const response = 'raw' in reply ? reply.raw : reply;
  const gone = new AbortController();
  if (response.destroyed) gone.abort();
  else response.once('close', () => response.writableFinished || gone.abort());
  return gone.signal;
});

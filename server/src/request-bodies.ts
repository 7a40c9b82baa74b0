import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { parse as parseJsonSafely } from 'secure-json-parse';
import { MAX_JSON_DEPTH, MAX_REQUEST_BYTES, nestsDeeperThan } from 'nest-live-notifications';

/** `application/json`, and the `+json` types (`application/merge-patch+json`…). */
const JSON_TYPES = /^application\/(?:[\w.-]+\+)?json(?:\s*;|$)/i;

/**
 * How the standalone server reads request bodies (at most 64 KiB; more is 413 before
 * anything is parsed). These are its only parsers (`bodyParser: false` in createServer):
 * - JSON types are parsed, and only an object or an array is a body (as Express's strict
 *   parser does); malformed JSON is a 400 that says so, and so are `__proto__` and
 *   `constructor.prototype` keys (secure-json-parse), which some clients' merges would turn
 *   into prototype pollution; so is a body that nests objects and arrays more than
 *   MAX_JSON_DEPTH (32) levels, which V8's iterative parser builds from a few KB but every
 *   recursive walk after it (validators, JSON.stringify) overflows the stack on;
 *   an empty body is `{}`, so a bodiless POST declared JSON works;
 * - any other type is read but not parsed, so that the route's guards answer it: an
 *   unauthenticated caller gets 401 whatever it sent, a sender 415 (JsonRequestGuard).
 */
export function registerRequestBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPES, { parseAs: 'string', bodyLimit: MAX_REQUEST_BYTES }, (_request, text, done) => {
    const source = text as string;
    if (source.trim() === '') return done(null, {});
    let body: unknown;
    try {
      body = parseJsonSafely(source, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      return done(new BadRequestException(`The body is not valid JSON: ${(error as Error).message}`), undefined);
    }
    if (typeof body !== 'object' || body === null) {
      return done(new BadRequestException('The body must be a JSON object'), undefined);
    }
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      return done(new BadRequestException(`The body must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep`), undefined);
    }
    done(null, body);
  });
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES }, (_request, raw, done) => done(null, raw));
}

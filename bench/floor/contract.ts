// The contract subset both floors serve, written once so that they parse, refuse and answer
// exactly alike: ids, the send body, the error replies, the token, the frame fields shared by
// every recipient. Each floor keeps only its storage and delivery.
import { createSecretKey, randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { WebSocket } from 'ws';

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_RECIPIENTS = 1000;
export const TYPE_PATTERN = /^[a-z0-9._-]{1,100}$/;

if (!process.env.JWT_SECRET) throw new Error('JWT_SECRET must be set');
// A KeyObject built once: jsonwebtoken would otherwise build one from the string per verify.
const jwtKey = createSecretKey(Buffer.from(process.env.JWT_SECRET));

/**
 * A UUIDv7: time first, so rows keyed by notification id are appended to the end of their
 * B-trees instead of dirtying a random page per insert.
 */
export function timeOrderedId(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface StoredNotification {
  id: string;
  type: string;
  title: string;
  body: string | null;
  data: string | null; // already JSON text
  created_at: string;
}

/**
 * Everything but id and cursor is the same for every recipient, so it is rendered once per
 * notification and each recipient's frame is one string concatenation.
 */
export function renderSharedFields(n: StoredNotification): string {
  return (
    `"type":${JSON.stringify(n.type)},"title":${JSON.stringify(n.title)},` +
    `"body":${n.body === null ? 'null' : JSON.stringify(n.body)},"data":${n.data ?? 'null'},` +
    `"priority":"normal","topic":null,"createdAt":"${n.created_at}","expiresAt":null,` +
    `"deliveredAt":null,"readAt":null}}`
  );
}

export function verifiedClaims(token: string | null | undefined): JwtPayload | undefined {
  if (!token) return undefined;
  try {
    const claims = jwt.verify(token, jwtKey, { algorithms: ['HS256'], clockTolerance: 30 });
    if (typeof claims === 'string' || typeof claims.exp !== 'number' || typeof claims.sub !== 'string') {
      return undefined;
    }
    return claims;
  } catch (error) {
    // Bad signature, expired, not yet valid: all mean "no identity", which callers answer with 401.
    if (error instanceof jwt.JsonWebTokenError) return undefined;
    throw error;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function sendError(ws: WebSocket, code: string, message: string): void {
  ws.send(JSON.stringify({ event: 'error', data: { code, message } }));
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly error: string,
  ) {
    super(message);
  }
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!req.headers['content-type']?.startsWith('application/json')) {
    throw new HttpError(415, 'body must be application/json', 'Unsupported Media Type');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body exceeds 64 KiB', 'Payload Too Large');
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString());
    if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  } catch {
    // Falls through to the same 400 as a JSON value that is not an object.
  }
  throw new HttpError(400, 'body must be a JSON object', 'Bad Request');
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, message, 'Bad Request');
}

export function parseSendRequest(body: Record<string, unknown>): { userIds: string[]; notification: StoredNotification } {
  const { userIds, type, title, body: text, data } = body;
  if (!Array.isArray(userIds) || !userIds.every((id) => typeof id === 'string' && id.length > 0)) {
    throw badRequest('userIds must be an array of user ids');
  }
  const distinctUserIds = [...new Set(userIds as string[])];
  if (distinctUserIds.length < 1 || distinctUserIds.length > MAX_RECIPIENTS) {
    throw badRequest(`userIds must hold 1 to ${MAX_RECIPIENTS} ids`);
  }
  if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) throw badRequest('type must match [a-z0-9._-]{1,100}');
  if (typeof title !== 'string' || title.length > 200) throw badRequest('title must be a string of at most 200');
  if (text !== undefined && text !== null && (typeof text !== 'string' || text.length > 5000)) {
    throw badRequest('body must be a string of at most 5000');
  }
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    throw badRequest('data must be an object');
  }
  const dataJson = data ? JSON.stringify(data) : null;
  if (dataJson && dataJson.length > 16 * 1024) throw badRequest('data must be at most 16 KiB as JSON');
  const notification = {
    id: timeOrderedId(),
    type,
    title,
    body: (text as string | undefined) ?? null,
    data: dataJson,
    created_at: new Date().toISOString(),
  };
  return { userIds: distinctUserIds, notification };
}

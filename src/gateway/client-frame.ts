import { isNotificationId } from '../model/notification-id';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../protocol/json-depth';
import { ClientEvents, FrameErrorCode } from '../protocol/ws-events';

/** A client frame that passed validation, typed by its event. */
export type ClientFrame = { [E in keyof ClientEvents]: { event: E; data: ClientEvents[E] } }[keyof ClientEvents];

/** Why a frame was refused; sent back as an `error` frame, the session stays open. */
export interface FrameError {
  code: FrameErrorCode;
  message: string;
}

/**
 * Parses and validates one client frame. Anything a client sends gets a ClientFrame or a
 * FrameError, never an exception. Only the fields read here are used, so keys such as
 * `__proto__` in the JSON are inert data (JSON.parse makes them own properties). A frame
 * nested deeper than MAX_JSON_DEPTH is refused whatever its event, as bodies are: within the
 * payload limit V8's iterative parser builds thousands of levels, which nothing should walk.
 */
export function parseClientFrame(
  raw: Buffer | ArrayBuffer | Buffer[],
  isBinary: boolean,
  maxIdsPerFrame: number,
): ClientFrame | FrameError {
  if (isBinary) return { code: FrameErrorCode.BadFrame, message: 'Frames must be JSON text, not binary' };
  let frame: unknown;
  try {
    frame = JSON.parse(Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as Buffer).toString('utf8'));
  } catch {
    return { code: FrameErrorCode.NotJson, message: 'Frames must be JSON: {"event": string, "data": any}' };
  }
  if (nestsDeeperThan(frame, MAX_JSON_DEPTH)) {
    return { code: FrameErrorCode.BadFrame, message: `Frames must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep` };
  }
  if (!isPlainObject(frame) || typeof frame.event !== 'string') {
    return { code: FrameErrorCode.BadFrame, message: 'Frames must be objects: {"event": string, "data": any}' };
  }
  const { event, data } = frame;
  switch (event) {
    case 'ack':
    case 'read':
    case 'seen':
      if (!isPlainObject(data) || !isIdList(data.ids, maxIdsPerFrame)) {
        return {
          code: FrameErrorCode.BadData,
          message: `${event} needs data {"ids": string[]} with 1 to ${maxIdsPerFrame} notification ids (UUIDs), as many as fit in one frame; send more in several frames`,
        };
      }
      return { event, data: { ids: data.ids } };
    case 'refresh':
      if (!isPlainObject(data) || typeof data.token !== 'string' || data.token.length === 0) {
        return { code: FrameErrorCode.BadData, message: 'refresh needs data {"token": string}' };
      }
      return { event, data: { token: data.token } };
    case 'ping':
      return { event, data };
    default:
      return {
        code: FrameErrorCode.UnknownEvent,
        message: `Unknown event "${event.slice(0, 50)}": expected ack, read, seen, ping or refresh`,
      };
  }
}

export function isFrameError(parsed: ClientFrame | FrameError): parsed is FrameError {
  return 'code' in parsed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIdList(value: unknown, maxIds: number): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.length <= maxIds && value.every(isNotificationId);
}

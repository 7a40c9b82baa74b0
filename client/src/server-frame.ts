import { ClientErrorCode, NotificationClientError } from './client-error';
import type { ServerEvents } from './types';

/** A frame from the server, narrowed by its event name. */
export type ServerFrame = {
  [Name in keyof ServerEvents]: { event: Name; data: ServerEvents[Name] };
}[keyof ServerEvents];

// Checks only what the client relies on; a newer server may add fields freely.
const validators: { [Name in keyof ServerEvents]: (data: Record<string, unknown>) => boolean } = {
  ready: (data) => typeof data.sessionId === 'string' && typeof data.unreadCount === 'number',
  notification: (data) => typeof data.id === 'string' && typeof data.cursor === 'string',
  unread: (data) => typeof data.count === 'number' && (data.unseen === undefined || typeof data.unseen === 'number'),
  state: (data) => (data.ids === 'all' || Array.isArray(data.ids)) && typeof data.change === 'string' && typeof data.at === 'string',
  error: (data) => typeof data.code === 'string' && typeof data.message === 'string',
  pong: () => true,
};

/**
 * Parses one text frame. Returns `null` for an event this client does not know, so that a
 * newer server can add events without breaking older clients.
 */
export function parseServerFrame(raw: unknown): ServerFrame | NotificationClientError | null {
  let frame: unknown;
  try {
    frame = JSON.parse(String(raw));
  } catch (error) {
    const message = 'the server sent a frame that is not JSON';
    return new NotificationClientError(ClientErrorCode.BadFrame, message, { cause: error });
  }
  if (!isRecord(frame) || typeof frame.event !== 'string') {
    return new NotificationClientError(ClientErrorCode.BadFrame, 'the server sent a frame without an event name');
  }
  if (!Object.prototype.hasOwnProperty.call(validators, frame.event)) return null;
  const event = frame.event as keyof ServerEvents;
  const data = frame.data ?? {};
  if (!isRecord(data) || !validators[event](data)) {
    return new NotificationClientError(ClientErrorCode.BadFrame, `the server sent a malformed "${event}" frame`);
  }
  return { event, data } as ServerFrame;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

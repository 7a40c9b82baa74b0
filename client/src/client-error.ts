import type { ClientErrorPayload } from './types';

/** Stable machine codes of errors the client itself reports. */
export enum ClientErrorCode {
  NoWebSocket = 'NOTIFICATIONS_CLIENT_ERR_NO_WEBSOCKET',
  Token = 'NOTIFICATIONS_CLIENT_ERR_TOKEN',
  TokenExpired = 'NOTIFICATIONS_CLIENT_ERR_TOKEN_EXPIRED',
  BadFrame = 'NOTIFICATIONS_CLIENT_ERR_BAD_FRAME',
  Listener = 'NOTIFICATIONS_CLIENT_ERR_LISTENER',
  NotOpen = 'NOTIFICATIONS_CLIENT_ERR_NOT_OPEN',
  Dial = 'NOTIFICATIONS_CLIENT_ERR_DIAL',
  Unexpected = 'NOTIFICATIONS_CLIENT_ERR_UNEXPECTED',
  /** The server refused a REST request (NotificationsApiError has its status). */
  Http = 'NOTIFICATIONS_CLIENT_ERR_HTTP',
}

/** An error raised by the client, with a code that does not change between versions. */
export class NotificationClientError extends Error {
  override readonly name = 'NotificationClientError';

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Wraps anything thrown into a coded error, keeping it as the cause. */
  static from(error: unknown): NotificationClientError {
    if (error instanceof NotificationClientError) return error;
    return new NotificationClientError(ClientErrorCode.Unexpected, String(error), { cause: error });
  }

  /** The shape the `error` event carries. */
  toPayload(): ClientErrorPayload {
    return this.cause === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, cause: this.cause };
  }
}

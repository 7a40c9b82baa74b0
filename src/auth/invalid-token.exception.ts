/** A token that cannot be trusted. The message says why, and never contains the token. */
export class InvalidTokenException extends Error {
  readonly code = 'NOTIFICATIONS_ERR_INVALID_TOKEN';

  constructor(reason: string) {
    super(`Invalid token: ${reason}`);
    this.name = 'InvalidTokenException';
  }
}

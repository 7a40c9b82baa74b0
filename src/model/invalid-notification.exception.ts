/** A send that breaks a rule the DTO cannot express (e.g. exactly one audience). */
export class InvalidNotificationException extends Error {
  readonly code = 'NOTIFICATIONS_ERR_INVALID_NOTIFICATION';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidNotificationException';
  }
}

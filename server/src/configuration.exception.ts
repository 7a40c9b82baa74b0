/** A setting of the standalone server that is missing or wrong; the message names it. */
export class ConfigurationException extends Error {
  readonly code = 'NOTIFICATIONS_ERR_CONFIGURATION';

  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationException';
  }
}

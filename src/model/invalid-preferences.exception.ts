/** Preferences that break a rule (an unknown channel, a bad type key…); `problems` names each field. */
export class InvalidPreferencesException extends Error {
  readonly code = 'NOTIFICATIONS_ERR_INVALID_PREFERENCES';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'InvalidPreferencesException';
  }
}

/** Every close code the server sends (contract section 3). */
export enum CloseCode {
  /** The server is shutting down: reconnect, to another node if there is one. */
  GoingAway = 1001,
  /** Policy violation: flooding, or a refresh for another user. */
  PolicyViolation = 1008,
  /** A client frame larger than the limit. */
  MessageTooBig = 1009,
  /** The server failed; reconnecting may help. */
  InternalError = 1011,
  /** The token expired: refresh it, then reconnect. */
  TokenExpired = 4401,
  /** Access was revoked: do not reconnect. */
  AccessRevoked = 4403,
}

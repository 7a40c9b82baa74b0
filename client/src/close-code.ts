/** WebSocket close codes the server uses (contract section 3), plus the ones browsers report. */
export enum CloseCode {
  Normal = 1000,
  GoingAway = 1001,
  Abnormal = 1006,
  PolicyViolation = 1008,
  MessageTooBig = 1009,
  InternalError = 1011,
  ServiceRestart = 1012,
  TryAgainLater = 1013,
  TokenExpired = 4401,
  AccessRevoked = 4403,
}

/** What the client does after a socket closes with a given code. */
export type CloseAction = 'stop' | 'refresh-and-reconnect' | 'backoff' | 'backoff-after-shutdown';

/** Maps a close code to the reconnect policy described in the README. */
export function actionForCloseCode(code: number): CloseAction {
  switch (code) {
    case CloseCode.AccessRevoked:
      return 'stop';
    case CloseCode.TokenExpired:
      return 'refresh-and-reconnect';
    // The server closes every session at once when it shuts down or restarts,
    // so these clients must spread over a wider window than a lone network blip.
    case CloseCode.GoingAway:
    case CloseCode.ServiceRestart:
    case CloseCode.TryAgainLater:
      return 'backoff-after-shutdown';
    default:
      return 'backoff';
  }
}

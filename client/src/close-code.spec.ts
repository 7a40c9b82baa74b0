import { actionForCloseCode, CloseCode } from './close-code';

describe(actionForCloseCode.name, () => {
  it.each([
    [CloseCode.AccessRevoked, 'stop'],
    [CloseCode.TokenExpired, 'refresh-and-reconnect'],
    [CloseCode.PolicyViolation, 'backoff'],
    [CloseCode.MessageTooBig, 'backoff'],
    [CloseCode.InternalError, 'backoff'],
    [CloseCode.Abnormal, 'backoff'],
    [CloseCode.GoingAway, 'backoff-after-shutdown'],
    [CloseCode.ServiceRestart, 'backoff-after-shutdown'],
  ])('maps close code %i to %s', (code, action) => {
    expect(actionForCloseCode(code)).toBe(action);
  });
});

import { Webhook } from 'standardwebhooks';
import { parseWebhookSecret, signWebhook } from './webhook-signature';

describe('signWebhook', () => {
  const secret = `whsec_${Buffer.from('a key of thirty-two bytes, exact').toString('base64')}`;

  it('signs as Standard Webhooks verifies', () => {
    const body = JSON.stringify({ type: 'notification.read', timestamp: '2026-12-05T10:00:00.000Z', data: { count: 1 } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': '' };
    headers['webhook-signature'] = signWebhook(parseWebhookSecret(secret), 'msg_1', timestamp, body);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'notification.read' });
    expect(() => new Webhook(secret).verify(body.replace('1}', '2}'), headers)).toThrow();
  });
});

describe('parseWebhookSecret', () => {
  it.each([
    ['no prefix', 'c2VjcmV0c2VjcmV0c2VjcmV0'],
    ['not base64', 'whsec_not base64!'],
    ['too short', 'whsec_c2hvcnQ='],
  ])('refuses a secret with %s', (_why, secret) => {
    expect(() => parseWebhookSecret(secret)).toThrow(/whsec_|base64|16 bytes/);
  });
});

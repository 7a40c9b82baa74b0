import { generateVAPIDKeys } from 'web-push';
import { channelSettings } from './channel-settings';

describe(channelSettings.name, () => {
  const vapid = generateVAPIDKeys();
  const push = {
    WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
    WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
    WEB_PUSH_SUBJECT: 'mailto:ops@example.test',
  };
  const secret = `whsec_${Buffer.from('thirty-two bytes of webhook key!').toString('base64')}`;

  it('turns every channel off without settings, with the contract delays', () => {
    expect(channelSettings({}, false)).toEqual({
      webPush: undefined,
      email: undefined,
      webhooks: undefined,
      pushAfterSeconds: 0,
      emailAfterSeconds: 900,
      pollMs: 1000,
      retryBaseMs: 5000,
      maxAttempts: 5,
    });
  });

  it('reads each channel, requiring https endpoints in production only', () => {
    const settings = channelSettings(
      {
        ...push,
        SMTP_URL: 'smtps://u:p@mail.example.test:465',
        EMAIL_FROM: 'N <n@example.test>',
        WEBHOOK_URL: 'https://hooks.test/in',
        WEBHOOK_SECRET: secret,
      },
      true,
    );
    expect(settings.webPush).toEqual({
      publicKey: vapid.publicKey,
      privateKey: vapid.privateKey,
      subject: 'mailto:ops@example.test',
      requireHttps: true,
    });
    expect(settings.email).toEqual({ smtpUrl: 'smtps://u:p@mail.example.test:465', from: 'N <n@example.test>', preferencesUrl: undefined });
    expect(settings.webhooks).toEqual({ url: 'https://hooks.test/in', secret });
    expect(channelSettings(push, false).webPush?.requireHttps).toBe(false);
  });

  it.each([
    [{ WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey }, /needs both WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY/],
    [{ ...push, WEB_PUSH_VAPID_PUBLIC_KEY: 'AAAA' }, /WEB_PUSH_VAPID_PUBLIC_KEY must be a P-256 public key/],
    [{ ...push, WEB_PUSH_VAPID_PRIVATE_KEY: 'AAAA' }, /WEB_PUSH_VAPID_PRIVATE_KEY must be a P-256 private key/],
    [{ ...push, WEB_PUSH_VAPID_PRIVATE_KEY: generateVAPIDKeys().privateKey }, /is not the private key of WEB_PUSH_VAPID_PUBLIC_KEY/],
    [{ ...push, WEB_PUSH_SUBJECT: 'ops@example.test' }, /WEB_PUSH_SUBJECT must be a mailto: address or an https: URL/],
    [{ SMTP_URL: 'mail.example.test' }, /SMTP_URL must be an smtp:\/\//],
    [{ SMTP_URL: 'http://mail.example.test' }, /SMTP_URL must be an smtp:\/\//],
    [{ SMTP_URL: 'smtp://mail.example.test' }, /EMAIL_FROM must be the sender address/],
    [{ EMAIL_FROM: 'n@example.test' }, /EMAIL_FROM is set but SMTP_URL is not/],
    [{ WEBHOOK_URL: 'https://hooks.test/in', WEBHOOK_SECRET: 'plain' }, /WEBHOOK_SECRET must start with whsec_/],
    [{ WEBHOOK_URL: 'https://hooks.test/in' }, /WEBHOOK_SECRET is required/],
    [{ WEBHOOK_SECRET: secret }, /WEBHOOK_URL must be an http\(s\) URL/],
    [{ PUSH_AFTER_SECONDS: '-1' }, /PUSH_AFTER_SECONDS must be a whole number/],
    [{ EMAIL_AFTER_SECONDS: 'soon' }, /EMAIL_AFTER_SECONDS must be a whole number/],
  ])('stops on %j, naming the setting', (env, message) => {
    expect(() => channelSettings(env as Record<string, string>, false)).toThrow(message);
  });
});

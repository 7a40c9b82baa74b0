import { createECDH } from 'node:crypto';
import type { EmailOptions, WebhookOptions, WebPushOptions } from 'nest-live-notifications';
import { DEFAULT_EMAIL_AFTER_SECONDS, DEFAULT_PUSH_AFTER_SECONDS, parseWebhookSecret } from 'nest-live-notifications';
import { ConfigurationException } from './configuration.exception';

/** Channels beyond the socket, from the environment: each off until its settings are given. */
export interface ChannelServerSettings {
  /** WEB_PUSH_VAPID_PUBLIC_KEY, WEB_PUSH_VAPID_PRIVATE_KEY, WEB_PUSH_SUBJECT. */
  webPush?: WebPushOptions;
  /** SMTP_URL, EMAIL_FROM, EMAIL_PREFERENCES_URL. */
  email?: EmailOptions;
  /** WEBHOOK_URL, WEBHOOK_SECRET. */
  webhooks?: WebhookOptions;
  /** PUSH_AFTER_SECONDS (default 0), EMAIL_AFTER_SECONDS (default 900). */
  pushAfterSeconds: number;
  emailAfterSeconds: number;
  /** CHANNEL_POLL_MS (default 1000), CHANNEL_RETRY_BASE_MS (default 5000), CHANNEL_MAX_ATTEMPTS (default 5). */
  pollMs: number;
  retryBaseMs: number;
  maxAttempts: number;
}

type Environment = Record<string, string | undefined>;

const MAX_DELAY_SECONDS = 30 * 24 * 60 * 60;

/** Reads the channel settings; a setting that cannot work throws ConfigurationException naming it. */
export function channelSettings(env: Environment, production: boolean): ChannelServerSettings {
  return {
    webPush: webPushSettings(env, production),
    email: emailSettings(env),
    webhooks: webhookSettings(env),
    pushAfterSeconds: seconds(env, 'PUSH_AFTER_SECONDS', DEFAULT_PUSH_AFTER_SECONDS),
    emailAfterSeconds: seconds(env, 'EMAIL_AFTER_SECONDS', DEFAULT_EMAIL_AFTER_SECONDS),
    pollMs: whole(env, 'CHANNEL_POLL_MS', 1000, 10, 60_000),
    retryBaseMs: whole(env, 'CHANNEL_RETRY_BASE_MS', 5000, 10, 3_600_000),
    maxAttempts: whole(env, 'CHANNEL_MAX_ATTEMPTS', 5, 1, 50),
  };
}

function webPushSettings(env: Environment, production: boolean): WebPushOptions | undefined {
  const publicKey = given(env, 'WEB_PUSH_VAPID_PUBLIC_KEY');
  const privateKey = given(env, 'WEB_PUSH_VAPID_PRIVATE_KEY');
  const subject = given(env, 'WEB_PUSH_SUBJECT');
  if (publicKey === undefined && privateKey === undefined && subject === undefined) return undefined;
  const generate = 'generate a pair with `npx web-push generate-vapid-keys`';
  if (publicKey === undefined || privateKey === undefined) {
    throw new ConfigurationException(`Web Push needs both WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY (${generate})`);
  }
  const publicBytes = base64Url(publicKey);
  if (publicBytes?.length !== 65 || publicBytes[0] !== 0x04) {
    throw new ConfigurationException(`WEB_PUSH_VAPID_PUBLIC_KEY must be a P-256 public key, 65 bytes in base64url (${generate})`);
  }
  const privateBytes = base64Url(privateKey);
  if (privateBytes?.length !== 32) {
    throw new ConfigurationException(`WEB_PUSH_VAPID_PRIVATE_KEY must be a P-256 private key, 32 bytes in base64url (${generate})`);
  }
  let derived: Buffer;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(privateBytes);
    derived = ecdh.getPublicKey();
  } catch (error) {
    throw new ConfigurationException(`WEB_PUSH_VAPID_PRIVATE_KEY is not a usable P-256 key: ${(error as Error).message}`);
  }
  if (!derived.equals(publicBytes)) {
    throw new ConfigurationException('WEB_PUSH_VAPID_PRIVATE_KEY is not the private key of WEB_PUSH_VAPID_PUBLIC_KEY');
  }
  if (subject === undefined || !/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(subject)) {
    throw new ConfigurationException('WEB_PUSH_SUBJECT must be a mailto: address or an https: URL the push services may contact you at');
  }
  return { publicKey, privateKey, subject, requireHttps: production };
}

function emailSettings(env: Environment): EmailOptions | undefined {
  const smtpUrl = given(env, 'SMTP_URL');
  const from = given(env, 'EMAIL_FROM');
  const preferencesUrl = given(env, 'EMAIL_PREFERENCES_URL');
  if (smtpUrl === undefined) {
    if (from !== undefined) throw new ConfigurationException('EMAIL_FROM is set but SMTP_URL is not: email needs both');
    return undefined;
  }
  if (!URL.canParse(smtpUrl) || !/^smtps?:$/.test(new URL(smtpUrl).protocol) || !new URL(smtpUrl).hostname) {
    throw new ConfigurationException(
      'SMTP_URL must be an smtp:// or smtps:// URL with a host, e.g. smtp://user:password@mail.example.com:587',
    );
  }
  if (from === undefined || !/[^\s@<>]+@[^\s@<>]+/.test(from)) {
    throw new ConfigurationException('EMAIL_FROM must be the sender address, e.g. "Notifications <notify@example.com>"');
  }
  if (preferencesUrl !== undefined && !/^https?:\/\/\S+$/.test(preferencesUrl)) {
    throw new ConfigurationException('EMAIL_PREFERENCES_URL must be an http(s) URL: the page where users choose what they are notified of');
  }
  return { smtpUrl, from, preferencesUrl };
}

function webhookSettings(env: Environment): WebhookOptions | undefined {
  const url = given(env, 'WEBHOOK_URL');
  const secret = given(env, 'WEBHOOK_SECRET');
  if (url === undefined && secret === undefined) return undefined;
  if (url === undefined || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new ConfigurationException('WEBHOOK_URL must be an http(s) URL where the lifecycle events are POSTed');
  }
  if (secret === undefined)
    throw new ConfigurationException('WEBHOOK_SECRET is required with WEBHOOK_URL (whsec_ followed by a base64 key)');
  try {
    parseWebhookSecret(secret);
  } catch (error) {
    throw new ConfigurationException(`WEBHOOK_SECRET ${(error as Error).message}`);
  }
  return { url, secret };
}

function seconds(env: Environment, name: string, fallback: number): number {
  return whole(env, name, fallback, 0, MAX_DELAY_SECONDS);
}

function whole(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const raw = given(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigurationException(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function base64Url(value: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]+={0,2}$/.test(value) ? Buffer.from(value.replace(/=+$/, ''), 'base64url') : undefined;
}

function given(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

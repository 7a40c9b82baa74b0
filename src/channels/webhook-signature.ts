import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/**
 * The key of a Standard Webhooks secret, `whsec_` followed by base64; throws naming what is
 * wrong otherwise (the server stops at boot on it).
 */
export function parseWebhookSecret(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('must start with whsec_ followed by the base64 key');
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw new Error('must be whsec_ followed by base64');
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('must hold a key of at least 16 bytes (24 base64 characters)');
  return key;
}

/** The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${signature}`;
}

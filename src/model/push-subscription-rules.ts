/** The longest endpoint a push subscription may have: real ones are a few hundred bytes. */
export const MAX_PUSH_ENDPOINT_LENGTH = 2048;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The bytes of a base64url string (unpadded, as browsers give it); undefined when it is not base64url. */
export function base64UrlBytes(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !BASE64URL.test(value)) return undefined;
  const unpadded = value.replace(/=+$/, '');
  // A length of 4n+1 characters cannot come from whole bytes.
  if (unpadded.length % 4 === 1) return undefined;
  return Buffer.from(unpadded, 'base64url');
}

/** A browser's P-256 public key (`keys.p256dh`): 65 bytes, an uncompressed point (0x04 first). */
export function isPushPublicKey(value: unknown): boolean {
  const bytes = base64UrlBytes(value);
  return bytes !== undefined && bytes.length === 65 && bytes[0] === 0x04;
}

/** A browser's authentication secret (`keys.auth`): 16 bytes. */
export function isPushAuthSecret(value: unknown): boolean {
  return base64UrlBytes(value)?.length === 16;
}

/** An `http:` or `https:` URL with a host: what a push service endpoint can be. */
export function isPushEndpoint(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_PUSH_ENDPOINT_LENGTH || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '';
}

import { createECDH, createPublicKey, ECDH, hkdfSync, createDecipheriv, randomBytes, verify } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';

/** A push message as the browser got it: the headers, the VAPID claims, the decrypted payload. */
export interface PushMessage {
  subscription: string;
  headers: IncomingHttpHeaders;
  claims: { aud: string; exp: number; sub: string };
  payload: any;
}

/** A browser's side of a subscription: its keys, and the JSON it gives the application server. */
export interface TestSubscription {
  id: string;
  ecdh: ECDH;
  auth: Buffer;
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

/**
 * A push service (RFC 8030) on 127.0.0.1, with the browser's half built in: it checks each
 * message's VAPID JWT (RFC 8292: ES256 by the key in `k`, `aud` the endpoint's origin, `exp`
 * within 24 h) and decrypts its `aes128gcm` payload (RFC 8291) with the subscription's
 * private key and auth secret, with node:crypto alone. A message that fails a check is
 * answered 400 and recorded in `rejected`.
 */
export class PushService {
  readonly messages: PushMessage[] = [];
  readonly rejected: string[] = [];
  private readonly subscriptions = new Map<string, TestSubscription>();
  private readonly answers = new Map<string, number>();
  private waiters: Array<() => void> = [];
  private server!: Server;
  origin = '';

  constructor(private readonly expectedSubject: string) {}

  /** Over plain HTTP, or over HTTPS with this key and certificate (as real push services are). */
  static async start(expectedSubject: string, tls?: { key: string; cert: string }): Promise<PushService> {
    const service = new PushService(expectedSubject);
    const handle = (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const id = (request.url ?? '').split('/').pop()!;
        const status = service.receive(id, request.headers, Buffer.concat(chunks));
        response.writeHead(status).end();
        for (const wake of service.waiters.splice(0)) wake();
      });
    };
    service.server = tls ? createHttpsServer(tls, handle) : createServer(handle);
    await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
    service.origin = `${tls ? 'https' : 'http'}://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
    return service;
  }

  /** A new browser subscription, as `pushManager.subscribe()` makes one. */
  subscribe(): TestSubscription {
    const id = randomBytes(8).toString('hex');
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const subscription: TestSubscription = {
      id,
      ecdh,
      auth,
      json: {
        endpoint: `${this.origin}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      },
    };
    this.subscriptions.set(id, subscription);
    return subscription;
  }

  /** From now on, answer messages to this subscription with `status` (410: the browser unsubscribed). */
  answerWith(subscription: TestSubscription, status: number): void {
    this.answers.set(subscription.id, status);
  }

  async waitFor(holds: (messages: PushMessage[]) => boolean, timeoutMs = 10_000): Promise<PushMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!holds(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Push messages so far: ${this.messages.length}; rejected: ${JSON.stringify(this.rejected)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private receive(id: string, headers: IncomingHttpHeaders, body: Buffer): number {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return 404;
    try {
      const claims = this.checkVapid(headers);
      if (headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding ${headers['content-encoding']}`);
      if (!/^\d+$/.test(String(headers.ttl))) throw new Error(`TTL ${headers.ttl}`);
      const payload = JSON.parse(decryptAes128gcm(body, subscription).toString('utf8'));
      const status = this.answers.get(id) ?? 201;
      if (status === 201) this.messages.push({ subscription: id, headers, claims, payload });
      return status;
    } catch (error) {
      this.rejected.push((error as Error).message);
      return 400;
    }
  }

  /** RFC 8292: `Authorization: vapid t=<JWT>, k=<public key>`, the JWT signed ES256 by that key. */
  private checkVapid(headers: IncomingHttpHeaders): PushMessage['claims'] {
    const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(String(headers.authorization));
    if (!match) throw new Error(`Authorization ${headers.authorization}`);
    const [, token, key] = match;
    const [header, claims, signature] = token.split('.');
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'ES256') throw new Error('alg is not ES256');
    const point = Buffer.from(key, 'base64url');
    const publicKey = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    const signed = verify(
      'sha256',
      Buffer.from(`${header}.${claims}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) throw new Error('the VAPID signature does not verify');
    const parsed = JSON.parse(Buffer.from(claims, 'base64url').toString());
    if (parsed.aud !== this.origin) throw new Error(`aud ${parsed.aud} is not ${this.origin}`);
    const now = Date.now() / 1000;
    if (!(parsed.exp > now && parsed.exp <= now + 24 * 3600)) throw new Error(`exp ${parsed.exp}`);
    if (parsed.sub !== this.expectedSubject) throw new Error(`sub ${parsed.sub}`);
    return parsed;
  }
}

/** RFC 8291 / RFC 8188: what the browser does with a push message (one record). */
function decryptAes128gcm(body: Buffer, subscription: TestSubscription): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body[20];
  const senderKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const receiverKey = subscription.ecdh.getPublicKey();
  const sharedSecret = subscription.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverKey, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, subscription.auth, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', contentKey, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end);
}

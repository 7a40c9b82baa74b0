import { createECDH, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { generateVAPIDKeys } from 'web-push';
import { request } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { tokenFor } from './support/tokens';

/** A browser's real key pair and secret, base64url. */
function realKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const hostileValue = fc.oneof(
  anyText,
  fc.constantFrom(null, true, 0, -1, 1e308, '', '\u0000', 'x'.repeat(3000)),
  fc.array(anyText, { maxLength: 3 }),
  fc.dictionary(anyText, anyText, { maxKeys: 3 }),
);
const endpoint = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('https://push.example.test/send/a', 'http://127.0.0.1:9/push/b', 'https://fcm.googleapis.com/fcm/send/c'),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'ftp://x.test/y',
      'javascript:alert(1)',
      'https://',
      'https://user:pw@x.test/',
      `https://x.test/${'y'.repeat(2100)}`,
    ),
  },
  { weight: 1, arbitrary: hostileValue },
);
const keyText = (bytes: number) =>
  fc.oneof(
    fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((array) => Buffer.from(array).toString('base64url')),
    fc.uint8Array({ minLength: 0, maxLength: 80 }).map((array) => Buffer.from(array).toString('base64url')),
    fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((array) => Buffer.from(array).toString('base64')),
    hostileValue,
  );
const keys = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined).map(() => realKeys()) },
  { weight: 2, arbitrary: fc.record({ p256dh: keyText(65), auth: keyText(16) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: hostileValue },
);
const body = fc.record(
  {
    endpoint,
    keys,
    expirationTime: fc.oneof(fc.constant(null), fc.integer(), hostileValue),
    extra: hostileValue,
  },
  { requiredKeys: [] },
);

/** What the server must accept: a browser's PushSubscription, checked here without the server's code. */
function isSubscription(value: Record<string, unknown>): boolean {
  const { endpoint, keys, expirationTime } = value;
  if ('extra' in value) return false;
  if (expirationTime !== undefined && expirationTime !== null && typeof expirationTime !== 'number') return false;
  if (typeof endpoint !== 'string' || endpoint.length > 2048 || !URL.canParse(endpoint)) return false;
  const url = new URL(endpoint);
  if (!['http:', 'https:'].includes(url.protocol) || !url.hostname || url.username || url.password) return false;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return false;
  const { p256dh, auth } = keys as Record<string, unknown>;
  const decoded = (text: unknown) =>
    typeof text === 'string' && /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
  const point = decoded(p256dh);
  return point?.length === 65 && point[0] === 4 && decoded(auth)?.length === 16 && Object.keys(keys).length === 2;
}

describe('Push subscription bodies, random', () => {
  let server: TestServer;
  beforeAll(async () => {
    const vapid = generateVAPIDKeys();
    server = await startServer({
      env: {
        WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        WEB_PUSH_SUBJECT: 'mailto:ops@example.test',
      },
    });
  });
  afterAll(() => server.close());

  it('property: a browser PushSubscription gets 201, anything else 400 with a message, never a 5xx', async () => {
    const token = tokenFor('fuzz-browser');
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const response = await request(server.baseUrl, 'POST', '/push/subscriptions', { token, body: value });
        expect(response.status).toBe(isSubscription(value) ? 201 : 400);
        if (response.status === 400) expect(response.body).toMatchObject({ statusCode: 400, message: expect.anything() });
      }),
      { numRuns: 250 },
    );
    expect((await request(server.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

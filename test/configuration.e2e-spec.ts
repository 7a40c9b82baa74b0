import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEVELOPMENT_JWT_SECRET } from '../server/src/server-settings';
import { temporaryDirectory } from './support/test-server';

const ROOT = join(__dirname, '..');

/** Runs `server/src/main.ts` (what `npm start` runs, from source) with exactly this environment. */
interface MainProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startMain(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, ['-r', './scripts/run-source.js', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // 'close', not 'exit': 'exit' may come before the last output has been read from the pipes
  // (seen in CI on a busy machine: exit code 1 with no output yet).
  const exited: MainProcess['exited'] = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

const UNPARSABLE_PEM = '-----BEGIN PUBLIC KEY-----\\nbm90IGEga2V5\\n-----END PUBLIC KEY-----';

describe('The standalone server refuses a bad configuration at boot', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['no key in production', { NODE_ENV: 'production' }, /JWT_SECRET or JWT_PUBLIC_KEY/],
    [
      'the development secret in production',
      { NODE_ENV: 'production', JWT_SECRET: DEVELOPMENT_JWT_SECRET },
      /JWT_SECRET is a development secret published in this project/,
    ],
    ['an unsupported DATABASE_URL scheme', { DATABASE_URL: 'mysql://db/notifications' }, /DATABASE_URL scheme "mysql:"/],
    ['a PEM that does not parse', { JWT_PUBLIC_KEY: UNPARSABLE_PEM }, /JWT_PUBLIC_KEY is not a usable PEM public key/],
    ['a negative limit', { WS_MAX_PAYLOAD_BYTES: '-1' }, /WS_MAX_PAYLOAD_BYTES must be a whole number/],
    ['a port out of range', { PORT: '70000' }, /PORT must be a whole number from 0 to 65535/],
    ['a JWKS URL that is not a URL', { JWT_JWKS_URL: 'keycloak/certs' }, /JWT_JWKS_URL must be an http\(s\) URL/],
    ['two kinds of key', { JWT_SECRET: 'x'.repeat(40), JWT_JWKS_URL: 'https://idp.test/certs' }, /not both JWT_SECRET and JWT_JWKS_URL/],
    ['a bad REDIS_URL', { REDIS_URL: '127.0.0.1:6379' }, /REDIS_URL must be a redis:\/\//],
    ['a bad switch', { DOCS_ENABLED: 'sometimes' }, /DOCS_ENABLED must be true or false/],
    ['a short METRICS_TOKEN', { METRICS_TOKEN: 'abc' }, /METRICS_TOKEN must be at least 16/],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'chatty' }, /LOG_LEVEL must be one of/],
    [
      'a malformed VAPID key',
      { WEB_PUSH_VAPID_PUBLIC_KEY: 'short', WEB_PUSH_VAPID_PRIVATE_KEY: 'short', WEB_PUSH_SUBJECT: 'mailto:a@b.test' },
      /WEB_PUSH_VAPID_PUBLIC_KEY must be a P-256 public key/,
    ],
    ['an unparsable SMTP_URL', { SMTP_URL: 'mail.example.com:25', EMAIL_FROM: 'n@example.com' }, /SMTP_URL must be an smtp:\/\//],
    [
      'a webhook secret without whsec_',
      { WEBHOOK_URL: 'https://hooks.test/in', WEBHOOK_SECRET: 'plain-secret' },
      /WEBHOOK_SECRET must start with whsec_/,
    ],
  ];

  // Concurrent: each case is a process start, mostly waiting on module loading.
  it.concurrent.each(cases)('%s: exits 1 naming the setting', async (_, env, message) => {
    // PORT 0 and the kill: a case that wrongly boots fails its test without holding a port or the run.
    const run = startMain({ DATABASE_URL: 'sqlite::memory:', PORT: '0', ...env });
    try {
      expect((await run.exited).code).toBe(1);
      expect(run.output()).toMatch(message);
      expect(run.output()).not.toMatch(/^\s+at /m); // a message, not a stack trace
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('boots with good settings, logs JSON in production, and stops cleanly on SIGTERM', async () => {
    const directory = temporaryDirectory();
    const run = startMain({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
      DATABASE_URL: `sqlite:${directory.path}/boot.sqlite`,
      PORT: '0',
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => (/Listening on/.test(run.output()) ? resolve() : undefined);
        run.child.stdout!.on('data', check);
        void run.exited.then(({ code }) => reject(new Error(`exited ${code}: ${run.output()}`)));
      });
      const listening = run
        .output()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .find((record) => /Listening on/.test(record.msg));
      expect(listening).toMatchObject({ level: 30, context: 'NotificationServer' });
      run.child.kill('SIGTERM');
      // main.ts closes the app (sessions get 1001, requests in flight finish), then exits 0.
      expect(await run.exited).toEqual({ code: 0, signal: null });
      const records = run
        .output()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      expect(records.filter((record) => record.level >= 50)).toEqual([]);
    } finally {
      run.child.kill('SIGKILL');
      directory.remove();
    }
  });
});

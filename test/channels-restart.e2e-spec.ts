import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventually } from './support/eventually';
import { request, send } from './support/http';
import { SmtpPeer } from './support/peers/smtp-peer';
import { temporaryDirectory } from './support/test-server';
import { senderToken, TEST_SECRET, tokenFor } from './support/tokens';
import { freePort } from './services/support/services';

const ROOT = join(__dirname, '..');

/** `server/src/main.ts` from source in a process of its own, as `npm start` runs it. */
class ServerProcess {
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
  }

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', './scripts/run-source.js', 'server/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', JWT_SECRET: TEST_SECRET, PORT: String(port), LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`The server exited:\n${server.output}`);
        return fetch(`${server.baseUrl}/health/live`).then(
          (response) => response.status,
          () => 0,
        );
      },
      (status) => status === 200,
      60_000,
    );
    return server;
  }

  /** SIGKILL: no shutdown hooks run, nothing is flushed. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

describe('Channels across a crash', () => {
  const directory = temporaryDirectory();
  let smtp: SmtpPeer;
  beforeAll(async () => (smtp = await SmtpPeer.start()));
  afterAll(async () => {
    await smtp.close();
    directory.remove();
  });

  it('sends a plan made before a SIGKILL exactly once, by the restarted server', async () => {
    const databasePath = join(directory.path, 'crash.sqlite');
    const env = {
      DATABASE_URL: `sqlite:${databasePath}`,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'notify@example.test',
      EMAIL_AFTER_SECONDS: '3600',
      CHANNEL_POLL_MS: '50',
    };
    const before = await ServerProcess.start(env);
    await request(before.baseUrl, 'GET', '/notifications/unread-count', {
      token: tokenFor('uma', { claims: { email: 'uma@example.test' } }),
    });
    const sent = await send(before.baseUrl, senderToken(), { userIds: ['uma'], title: 'Survives the crash' });
    expect(sent.status).toBe(201);
    const database = new Database(databasePath);
    try {
      await eventually(
        async () =>
          database.prepare(`SELECT COUNT(*) AS count FROM notification_user_contacts WHERE email = 'uma@example.test'`).get() as {
            count: number;
          },
        (row) => row.count === 1,
      );
      await before.kill();
      expect(database.prepare(`SELECT status, attempts FROM notification_outbox WHERE notification_id = ?`).all(sent.body.id)).toEqual([
        { status: 'pending', attempts: 0 },
      ]);
      // The hour passes while the server is down.
      database.prepare(`UPDATE notification_outbox SET due_at = '2000-01-01T00:00:00.000Z' WHERE notification_id = ?`).run(sent.body.id);
    } finally {
      database.close();
    }
    expect(smtp.received).toHaveLength(0);

    const after = await ServerProcess.start(env);
    try {
      const [mail] = await smtp.waitFor(1);
      expect(mail.to).toEqual(['uma@example.test']);
      expect(mail.mail.subject).toBe('Survives the crash');
      const page = await eventually(
        () => request(after.baseUrl, 'GET', `/notifications/${sent.body.id}/deliveries`, { token: senderToken() }),
        (response) => response.body.items?.[1]?.status === 'sent',
      );
      // Sent, and so never claimed again: once.
      expect(page.body.items[1]).toMatchObject({ channel: 'email', status: 'sent', attempts: 1 });
    } finally {
      await after.stop();
    }
    expect(smtp.received).toHaveLength(1);
  });
});

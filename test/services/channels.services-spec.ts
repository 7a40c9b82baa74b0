import { request, send } from '../support/http';
import { eventually } from '../support/eventually';
import { SmtpPeer } from '../support/peers/smtp-peer';
import { WebhookReceiver } from '../support/peers/webhook-receiver';
import { senderToken, tokenFor } from '../support/tokens';
import { NodeProcess } from './support/node-process';
import { createDatabase } from './support/services';

const NOTIFICATIONS = 6;
const USERS = 60;

describe('Channels on two nodes sharing one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let smtp: SmtpPeer;
  let hooks: WebhookReceiver;
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    database = await createDatabase();
    smtp = await SmtpPeer.start();
    hooks = await WebhookReceiver.start();
    const env = {
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'notify@example.test',
      EMAIL_AFTER_SECONDS: '3600',
      WEBHOOK_URL: hooks.url,
      WEBHOOK_SECRET: hooks.secret,
      CHANNEL_POLL_MS: '10',
    };
    // The first node migrates; the second starts on the migrated database.
    nodes.push(await NodeProcess.start('a', env));
    nodes.push(await NodeProcess.start('b', env));
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await Promise.all([smtp?.close(), hooks?.close()]);
    await database?.drop();
  });

  it('sends every plan once, and POSTs every event once, however both nodes poll', async () => {
    const users = Array.from({ length: USERS }, (_, index) => `two-node-${index}`);
    // Each user's email claim, seen by one node or the other.
    await Promise.all(
      users.map((userId, index) =>
        request(nodes[index % 2].baseUrl, 'GET', '/notifications/unread-count', {
          token: tokenFor(userId, { claims: { email: `${userId}@example.test` } }),
        }),
      ),
    );
    await eventually(
      () => database.query(`SELECT COUNT(*)::int AS count FROM notification_user_contacts`),
      (rows) => rows[0].count === USERS,
    );
    const sent: string[] = [];
    for (let index = 0; index < NOTIFICATIONS; index++) {
      const response = await send(nodes[index % 2].baseUrl, senderToken(), { userIds: users, title: `Batch ${index}` });
      expect(response.status).toBe(201);
      sent.push(response.body.id);
    }
    // Every plan due at once, on both nodes' next ticks: they compete for the same rows.
    await database.query(`UPDATE notification_outbox SET due_at = '2000-01-01T00:00:00.000Z'`);
    await smtp.waitFor(NOTIFICATIONS * USERS, 60_000);
    await hooks.waitFor((received) => received.filter((each) => each.body.type === 'notification.created').length === NOTIFICATIONS);
    // A mail reaches the SMTP peer before its node records the outcome: wait for the records.
    const statuses = await eventually(
      () => database.query(`SELECT status, attempts, COUNT(*)::int AS count FROM notification_outbox GROUP BY status, attempts`),
      (rows) => rows.length === 1 && rows[0].status !== 'pending',
      20_000,
    );
    expect(statuses).toEqual([{ status: 'sent', attempts: 1, count: NOTIFICATIONS * USERS }]);

    const mails = smtp.received.map((each) => `${each.to.join()} ${each.mail.subject}`);
    expect(new Set(mails).size).toBe(NOTIFICATIONS * USERS);
    expect(mails).toHaveLength(NOTIFICATIONS * USERS);
    const created = hooks.ofType('notification.created');
    expect(created.map((each) => each.body.data.notification.id).sort()).toEqual([...sent].sort());
    expect(new Set(hooks.received.map((each) => each.id)).size).toBe(hooks.received.length);
    // One attempt per plan: no plan was tried by both nodes.
    const attempts = await database.query(`SELECT COUNT(*)::int AS count FROM notification_channel_attempts`);
    expect(attempts[0].count).toBe(NOTIFICATIONS * USERS);
  });
});

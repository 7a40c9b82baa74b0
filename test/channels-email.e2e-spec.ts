import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { request, send } from './support/http';
import { eventually } from './support/eventually';
import { SmtpPeer } from './support/peers/smtp-peer';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Email', () => {
  let smtp: SmtpPeer;
  let server: TestServer;
  const sender = senderToken();
  const deliveries = (id: string) => request(server.baseUrl, 'GET', `/notifications/${id}/deliveries`, { token: sender });
  /** A REST call with the user's token: the server keeps its `email` claim as last seen. */
  const seen = (userId: string, email: string) =>
    request(server.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor(userId, { claims: { email } }) });

  beforeAll(async () => {
    smtp = await SmtpPeer.start();
    server = await startServer({
      env: {
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'Notifications <notify@example.test>',
        EMAIL_PREFERENCES_URL: 'https://app.example.test/settings/notifications',
        EMAIL_AFTER_SECONDS: '0',
        CHANNEL_POLL_MS: '20',
        CHANNEL_RETRY_BASE_MS: '20',
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it('mails an unread notification to the email claim last seen: subject, plain text, escaped HTML, List-Unsubscribe', async () => {
    await seen('ana', 'ana@example.test');
    const before = smtp.received.length;
    const sent = await send(server.baseUrl, sender, {
      userIds: ['ana'],
      type: 'expense.submitted',
      title: 'Expense <script>alert(1)</script> & "more"',
      body: 'Line one\nLine <b>two</b>',
    });
    const [received] = (await smtp.waitFor(before + 1)).slice(before);
    expect(received.to).toEqual(['ana@example.test']);
    expect(received.from).toBe('notify@example.test');
    const { mail } = received;
    expect(mail.subject).toBe('Expense <script>alert(1)</script> & "more"');
    expect(mail.text).toContain('Expense <script>alert(1)</script> & "more"\n\nLine one\nLine <b>two</b>');
    expect(mail.text).toContain('https://app.example.test/settings/notifications');
    expect(mail.html).toContain('<h1>Expense &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;more&#34;</h1>');
    expect(mail.html).toContain('Line one<br>Line &#60;b&#62;two&#60;/b&#62;');
    expect(mail.html).not.toContain('<script>');
    const listUnsubscribe = mail.headerLines.find((header) => header.key === 'list-unsubscribe')?.line;
    expect(listUnsubscribe).toBe('List-Unsubscribe: <https://app.example.test/settings/notifications>');
    const page = await eventually(
      () => deliveries(sent.body.id),
      (response) => response.body.items?.[1]?.status === 'sent',
    );
    expect(page.body.items[1]).toMatchObject({ userId: 'ana', channel: 'email', status: 'sent', attempts: 1 });
  });

  it('takes the newest claim, and skips a user whose address it never saw', async () => {
    await seen('bo', 'bo@old.example.test');
    await seen('bo', 'bo@new.example.test');
    const before = smtp.received.length;
    const sent = await send(server.baseUrl, sender, { userIds: ['bo', 'nobody'], title: 'Two recipients' });
    const page = await eventually(
      () => deliveries(sent.body.id),
      (response) =>
        response.body.items?.filter((item: { channel: string; status: string }) => item.channel === 'email' && item.status !== 'pending')
          .length === 2,
    );
    expect(page.body.items).toContainEqual({
      userId: 'nobody',
      channel: 'email',
      status: 'skipped',
      attempts: 1,
      at: expect.any(String),
      error: 'no email address',
    });
    expect(smtp.received.slice(before).map((each) => each.to)).toEqual([['bo@new.example.test']]);
  });

  it('does not mail what was read first', async () => {
    await seen('cy', 'cy@example.test');
    const client = await TestClient.open(server.wsUrl, tokenFor('cy'));
    const sent = await send(server.baseUrl, sender, { userIds: ['cy'], title: 'Read in the app' });
    client.send('read', { ids: [(await client.next('notification')).data.id] });
    // The read committed (the delivery's own unread frame came before it).
    await client.next('state');
    await client.close();
    // Online at send time, the plan waits 30 s for the user; as if they had passed:
    await server.app
      .get<DataSource>(getDataSourceToken())
      .query(`UPDATE notification_outbox SET due_at = '2000-01-01T00:00:00.000Z' WHERE status = 'pending'`);
    const page = await eventually(
      () => deliveries(sent.body.id),
      (response) => response.body.items?.[1]?.status !== 'pending',
    );
    expect(page.body.items[1]).toMatchObject({ channel: 'email', status: 'skipped', attempts: 0, error: 'read before it was due' });
    expect(smtp.received.some((each) => each.to.includes('cy@example.test'))).toBe(false);
  });

  it('retries a temporary SMTP refusal, and gives up at once on a permanent one', async () => {
    await seen('di', 'di@example.test');
    await seen('ed', 'ed@example.test');
    smtp.refuseNext(451, 'Try again later');
    const retried = await send(server.baseUrl, sender, { userIds: ['di'], title: 'Second time lucky' });
    await eventually(
      () => deliveries(retried.body.id),
      (response) => response.body.items?.[1]?.status === 'sent',
    );
    expect((await deliveries(retried.body.id)).body.items[1]).toMatchObject({ status: 'sent', attempts: 2 });
    smtp.refuseNext(550, 'No such mailbox');
    const refused = await send(server.baseUrl, sender, { userIds: ['ed'], title: 'Bounced' });
    const page = await eventually(
      () => deliveries(refused.body.id),
      (response) => response.body.items?.[1]?.status === 'failed',
    );
    expect(page.body.items[1]).toMatchObject({
      channel: 'email',
      status: 'failed',
      attempts: 1,
      error: expect.stringContaining('No such mailbox'),
    });
  });
});

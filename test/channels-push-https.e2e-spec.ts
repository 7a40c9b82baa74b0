import { Agent } from 'node:https';
import { generateVAPIDKeys } from 'web-push';
import { eventually } from './support/eventually';
import { HostApps } from './support/host-app';
import { request, send } from './support/http';
import { PushService } from './support/peers/push-service';
import { temporaryDirectory } from './support/test-server';
import { tokenFor } from './support/tokens';
import { selfSignedCertificate } from '../scripts/self-signed-certificate';

const SUBJECT = 'https://ops.example.test/contact';

// The production path: an https: push service, reached by web-push's own sendNotification.
describe('Web Push to an https: push service', () => {
  const directory = temporaryDirectory();
  const hosts = new HostApps();
  let push: PushService;
  let tls: { key: string; cert: string };

  beforeAll(async () => {
    tls = selfSignedCertificate(directory.path);
    push = await PushService.start(SUBJECT, tls);
  });
  afterAll(async () => {
    await hosts.closeAll();
    hosts.remove();
    await push.close();
    directory.remove();
  });

  it('sends through web-push with the host agent, in production mode (https only)', async () => {
    const vapid = generateVAPIDKeys();
    const host = await hosts.boot({
      module: {
        webPush: { ...vapid, subject: SUBJECT, requireHttps: true, agent: new Agent({ ca: tls.cert }) },
        fallback: { pollMs: 20 },
      },
    });
    const browser = push.subscribe();
    const subscribed = await request(host.baseUrl, 'POST', '/push/subscriptions', { token: tokenFor('https-user'), body: browser.json });
    expect(subscribed).toMatchObject({ status: 201, body: { endpoint: browser.json.endpoint } });
    expect(browser.json.endpoint).toMatch(/^https:/);
    const ops = tokenFor('ops-bot', { claims: { roles: ['ops'] } });
    const sent = await send(host.baseUrl, ops, { userIds: ['https-user'], title: 'Over TLS' });
    const messages = await push.waitFor((all) => all.some((each) => each.payload.id === sent.body.id));
    expect(messages.find((each) => each.payload.id === sent.body.id)).toMatchObject({
      payload: { id: sent.body.id, title: 'Over TLS' },
      claims: { aud: push.origin, sub: SUBJECT },
    });
    expect(push.rejected).toEqual([]);
    await eventually(
      () => request(host.baseUrl, 'GET', `/notifications/${sent.body.id}/deliveries`, { token: ops }),
      (response) => response.body.items?.[1]?.status === 'sent',
    );
  });
});

import { HostApps } from './support/host-app';
import { request } from './support/http';
import { startPoll, untilWaiting } from './support/polls';
import { tokenFor } from './support/tokens';

/** Long polling in a host app on Express (the standalone server, on Fastify, is test/long-poll). */
describe('Long polling on an Express host', () => {
  const hosts = new HostApps();
  afterEach(() => hosts.closeAll());
  afterAll(() => hosts.remove());

  it('wakes a waiting poll with what host code sends, and leaks nothing when clients leave', async () => {
    const host = await hosts.boot();
    const waiting = startPoll(host.baseUrl, tokenFor('buyer'), 'after=0&wait=30');
    await untilWaiting(host.app, 1);
    const order = await request(host.baseUrl, 'POST', '/orders');
    const answer = await waiting.answer;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      items: [expect.objectContaining({ id: order.body.id, type: 'order.created' })],
      nextCursor: expect.any(String),
    });
    await untilWaiting(host.app, 0);

    const leaving = Array.from({ length: 12 }, (_, index) =>
      startPoll(host.baseUrl, tokenFor(`express-leaver-${index % 4}`), 'after=0&wait=30'),
    );
    await untilWaiting(host.app, 12);
    for (const poll of leaving) poll.abort();
    await Promise.all(leaving.map((poll) => expect(poll.answer).rejects.toThrow()));
    await untilWaiting(host.app, 0);
    const bad = await request(host.baseUrl, 'GET', '/notifications?after=x&wait=99', { token: tokenFor('buyer') });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/after must be a cursor.*wait must be/);
  });
});

import { eventually } from './support/eventually';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** The per-client limits, with small settings so that the suite stays fast. */
describe('Per-client limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      env: {
        WS_MAX_PAYLOAD_BYTES: '1024',
        WS_MAX_FRAMES_PER_SECOND: '10',
        WS_MAX_SESSIONS_PER_USER: '2',
        WS_HEARTBEAT_MS: '200',
        SEND_RATE_LIMIT_PER_MINUTE: '5',
      },
    });
  });
  afterAll(() => server.close());

  const sessionsOf = (userId: string) =>
    request(server.baseUrl, 'GET', `/presence/${userId}`, { token: adminToken() }).then((response) => response.body.sessions);

  it('closes a session that sends a frame over WS_MAX_PAYLOAD_BYTES with 1009', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('big-frames'));
    client.send('ping', 'x'.repeat(1025));
    expect(await client.waitForClose()).toBe(1009);
  });

  it('keeps a session that stays under the frame rate, and closes one over it with 1008', async () => {
    const calm = await TestClient.open(server.wsUrl, tokenFor('calm'));
    for (let index = 0; index < 5; index++) calm.send('ping', {});
    await calm.waitFor('pong', 5);

    const flood = await TestClient.open(server.wsUrl, tokenFor('flood'));
    for (let index = 0; index < 50; index++) flood.send('ping', {});
    expect(await flood.waitForClose()).toBe(1008);
    expect(flood.closeReason).toMatch(/too many frames/);
    expect(flood.all('pong').length).toBeLessThanOrEqual(10);

    await calm.roundTrip();
    expect(calm.closeCode).toBeUndefined();
    await calm.close();
  });

  it('refuses a session over WS_MAX_SESSIONS_PER_USER with 429 before the upgrade, and admits one after a close', async () => {
    const token = tokenFor('many-tabs');
    const first = await TestClient.open(server.wsUrl, token);
    const second = await TestClient.open(server.wsUrl, token);
    await expect(TestClient.open(server.wsUrl, token)).rejects.toMatchObject({ status: 429 });
    // Another user is not affected by this user's cap.
    const other = await TestClient.open(server.wsUrl, tokenFor('one-tab'));

    await first.close();
    await eventually(
      () => sessionsOf('many-tabs'),
      (sessions) => sessions === 1,
    );
    const third = await TestClient.open(server.wsUrl, token);
    await Promise.all([second.close(), third.close(), other.close()]);
  });

  it('terminates a peer that stops answering pings, and presence goes false; live peers stay', async () => {
    const live = await TestClient.open(server.wsUrl, tokenFor('heartbeat-live'));
    const silent = await TestClient.open(server.wsUrl, tokenFor('heartbeat-silent'));
    // Stop reading: the client's pong answers are never produced.
    (silent.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(await sessionsOf('heartbeat-silent')).toBe(1);

    await eventually(
      () => sessionsOf('heartbeat-silent'),
      (sessions) => sessions === 0,
    );

    // Several heartbeats have passed: the peer that answers them is still there.
    await live.roundTrip();
    expect(live.closeCode).toBeUndefined();
    expect(await sessionsOf('heartbeat-live')).toBe(1);
    silent.socket.terminate();
    await live.close();
  });

  it('answers 429 to a sender over the send rate, stores nothing, and leaves other senders alone', async () => {
    const flooder = senderToken('flooding-sender');
    const responses = [];
    for (let index = 0; index < 7; index++) {
      responses.push(await send(server.baseUrl, flooder, { userIds: ['rate-recipient'], title: `n${index}` }));
    }
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect(responses[5].body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'ThrottlerException: Too Many Requests' });
    expect(Number(responses[5].headers.get('retry-after'))).toBeGreaterThan(0);
    // The headers of @nestjs/throttler's guard: the limit, what is left of it, when the window ends.
    expect(responses.slice(0, 5).map((response) => response.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    expect(responses[0].headers.get('x-ratelimit-limit')).toBe('5');
    expect(Number(responses[0].headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect((await send(server.baseUrl, senderToken('calm-sender'), { userIds: ['rate-recipient'] })).status).toBe(201);

    // The two refused sends (n5, n6) are nowhere; the five accepted and the calm sender's one are.
    const inbox = await request(server.baseUrl, 'GET', '/notifications?limit=100', { token: tokenFor('rate-recipient') });
    const titles = inbox.body.items.map((item: { title: string }) => item.title);
    expect(titles).toEqual(['Hello', 'n4', 'n3', 'n2', 'n1', 'n0']);
  });
});

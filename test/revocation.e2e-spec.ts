import { eventually } from './support/eventually';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { adminToken, senderToken, tokenFor, tokenIssuedIn } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('Revocation and presence', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const presence = (userId: string, token = adminToken()) => request(server.baseUrl, 'GET', `/presence/${userId}`, { token });
  const revoke = (userId: string, token = adminToken()) => request(server.baseUrl, 'POST', `/users/${userId}/revoke`, { token });

  it('tells an admin whether a user is online and with how many sessions', async () => {
    expect((await presence('p-user')).body).toEqual({ online: false, sessions: 0 });
    const tabs = [await TestClient.open(server.wsUrl, tokenFor('p-user')), await TestClient.open(server.wsUrl, tokenFor('p-user'))];
    expect(await presence('p-user')).toMatchObject({ status: 200, body: { online: true, sessions: 2 } });
    await Promise.all(tabs.map((tab) => tab.close()));
    await eventually(
      () => presence('p-user'),
      (response) => response.body.sessions === 0,
    );
  });

  it('closes every session of the user with 4403, and only theirs', async () => {
    const token = tokenFor('r-user');
    const tabs = [await TestClient.open(server.wsUrl, token), await TestClient.open(server.wsUrl, token)];
    const bystander = await TestClient.open(server.wsUrl, tokenFor('r-bystander'));

    expect((await revoke('r-user')).status).toBe(204);

    expect(await Promise.all(tabs.map((tab) => tab.waitForClose()))).toEqual([4403, 4403]);
    await bystander.roundTrip();
    expect(bystander.closeCode).toBeUndefined();
    await eventually(
      () => presence('r-user'),
      (response) => response.body.online === false,
    );
    await bystander.close();
  });

  it('refuses tokens issued up to the revocation, on the upgrade and on REST, and accepts later ones', async () => {
    const before = tokenFor('t-user');
    expect((await revoke('t-user')).status).toBe(204);

    await expect(TestClient.open(server.wsUrl, before)).rejects.toMatchObject({ status: 401 });
    const list = await request(server.baseUrl, 'GET', '/notifications', { token: before });
    expect(list.status).toBe(401);
    expect(list.body.message).toMatch(/revoked/);

    const after = tokenIssuedIn('t-user', 1);
    const client = await TestClient.open(server.wsUrl, after);
    expect((await request(server.baseUrl, 'GET', '/notifications/unread-count', { token: after })).body).toEqual({ count: 0 });
    await client.close();
  });

  it('refuses a revoked sender on POST /notifications and stores nothing', async () => {
    const sender = senderToken('revoked-sender');
    await revoke('revoked-sender');
    expect((await send(server.baseUrl, sender, { userIds: ['rs-recipient'] })).status).toBe(401);
    const inbox = await request(server.baseUrl, 'GET', '/notifications', { token: tokenFor('rs-recipient') });
    expect(inbox.body.items).toEqual([]);
  });

  it('closes a session whose refresh token was issued before the revocation with 4403', async () => {
    const client = await TestClient.open(server.wsUrl, tokenIssuedIn('rf-user', 2));
    const old = tokenFor('rf-user');
    await revoke('rf-user');
    await client.roundTrip();
    expect(client.closeCode).toBeUndefined();
    client.send('refresh', { token: old });
    expect(await client.waitForClose()).toBe(4403);
  });

  it.each([
    ['GET', '/presence/anyone'],
    ['POST', '/users/anyone/revoke'],
  ])('answers %s %s with 403 without the admin scope and 401 without a token', async (method, path) => {
    expect((await request(server.baseUrl, method, path, { token: senderToken() })).status).toBe(403);
    expect((await request(server.baseUrl, method, path, { token: tokenFor('anyone') })).status).toBe(403);
    expect((await request(server.baseUrl, method, path)).status).toBe(401);
  });

  it('keeps a non-admin from revoking: the target stays connected', async () => {
    const client = await TestClient.open(server.wsUrl, tokenFor('safe-user'));
    expect((await revoke('safe-user', senderToken())).status).toBe(403);
    await client.roundTrip();
    expect(client.closeCode).toBeUndefined();
    await client.close();
  });
});

describe('Revocation across nodes sharing a database', () => {
  it('is refused by another node that never saw the revoke message', async () => {
    const nodeA = await startServer();
    const nodeB = await startServer({ database: nodeA.database });
    try {
      const token = tokenFor('multi-node-user');
      expect((await request(nodeA.baseUrl, 'POST', '/users/multi-node-user/revoke', { token: adminToken() })).status).toBe(204);
      await expect(TestClient.open(nodeB.wsUrl, token)).rejects.toMatchObject({ status: 401 });
      expect((await request(nodeB.baseUrl, 'GET', '/notifications', { token })).status).toBe(401);
    } finally {
      await nodeB.close();
      await nodeA.close();
    }
  });
});

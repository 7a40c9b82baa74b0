import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { startServer, TestServer } from './support/test-server';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

const uuids = (count: number) => Array.from({ length: count }, () => randomUUID());

/**
 * Work one user can make the server do, whatever the number of their sessions (audit
 * finding 9): ids per user per second, frames waiting per session, and ids per frame that
 * agree with the frame size limit.
 */
describe('Per-user limits', () => {
  describe('with small limits', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer({
        env: {
          WS_MAX_FRAMES_PER_SECOND: '1000',
          WS_MAX_IDS_PER_USER_PER_SECOND: '100',
          WS_MAX_PENDING_FRAMES: '5',
          WS_MAX_PAYLOAD_BYTES: '1024',
        },
      });
    });
    afterAll(() => server.close());

    it('closes with 1008 a user whose sessions together send more ids a second than WS_MAX_IDS_PER_USER_PER_SECOND', async () => {
      const bystander = await TestClient.open(server.wsUrl, tokenFor('ids-bystander'));
      const tabs = await Promise.all([1, 2].map(() => TestClient.open(server.wsUrl, tokenFor('ids-greedy'))));
      // Each tab alone stays within the budget in any one second; together they are four times over
      // it, so that they are over it even if a second starts in the middle of the burst.
      for (const tab of tabs) {
        for (let frame = 0; frame < 5; frame++) tab.send('read', { ids: uuids(20) });
      }
      bystander.send('read', { ids: uuids(20) });
      const closed = await Promise.race(tabs.map(async (tab) => [await tab.waitForClose(), tab.closeReason] as const));
      expect(closed).toEqual([1008, expect.stringMatching(/^too many ids: over 100 a second for this user/)]);
      await bystander.roundTrip();
      expect(bystander.closeCode).toBeUndefined();
      expect(bystander.all('error')).toEqual([]);
      await Promise.all([bystander, ...tabs].map((client) => client.close()));
    });

    it('closes with 1008 a session with more than WS_MAX_PENDING_FRAMES frames waiting', async () => {
      const client = await TestClient.open(server.wsUrl, tokenFor('pending-flood'));
      // Fifty frames in one write: they arrive together, before the first one is stored.
      const tcp = (client.socket as unknown as { _socket: Socket })._socket;
      tcp.cork();
      for (let frame = 0; frame < 50; frame++) client.send('read', { ids: uuids(1) });
      tcp.uncork();
      expect(await client.waitForClose()).toBe(1008);
      expect(client.closeReason).toMatch(/^too many frames waiting/);
    });

    it('accepts as many ids as fit in WS_MAX_PAYLOAD_BYTES, and says how many when a frame is too big', async () => {
      // 1024 bytes hold 25 UUIDs in a read frame: {"event":"read","data":{"ids":[…]}}.
      const client = await TestClient.open(server.wsUrl, tokenFor('ids-per-frame'));
      client.send('read', { ids: uuids(25) });
      await client.roundTrip();
      expect(client.all('error')).toEqual([]);
      client.send('read', { ids: uuids(26) });
      expect(await client.waitForClose()).toBe(1009);
      expect(client.closeReason).toBe('frame over 1024 bytes: ack, read or seen at most 25 ids per frame');
    });
  });

  it('tells a client that acks 1,000 ids in one frame, at the default limits, how many fit', async () => {
    const server = await startServer();
    try {
      const client = await TestClient.open(server.wsUrl, tokenFor('naive-client'));
      client.send('ack', { ids: uuids(1000) });
      expect(await client.waitForClose()).toBe(1009);
      expect(client.closeReason).toBe('frame over 16384 bytes: ack, read or seen at most 419 ids per frame');
    } finally {
      await server.close();
    }
  });
});

import { CloseCode } from './close-code';
import { NotificationClient } from './notification-client';
import { connectFake, record, settle } from './testing/connect-fake';
import { FakeWebSocket } from './testing/fake-web-socket';
import { tokenExpiringIn } from './testing/test-token';

describe(NotificationClient.name, () => {
  const minutes = (count: number) => count * 60_000;

  beforeEach(() => {
    jest.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => jest.useRealTimers());

  describe('token', () => {
    it('dials with the token as access_token on the /ws path', async () => {
      connectFake({ url: 'https://notify.example.com', token: 'jwt-1' });
      await settle();
      const url = new URL(FakeWebSocket.last.url);
      expect(url.origin + url.pathname).toBe('wss://notify.example.com/ws');
      expect(url.searchParams.get('access_token')).toBe('jwt-1');
    });

    it('calls the token function, awaiting it, before each connect', async () => {
      let issued = 0;
      const token = jest.fn(async () => `jwt-${++issued}`);
      connectFake({ token });
      await settle();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      await jest.advanceTimersByTimeAsync(250);
      expect(token).toHaveBeenCalledTimes(2);
      expect(FakeWebSocket.dialed.map((socket) => socket.query.get('access_token'))).toEqual(['jwt-1', 'jwt-2']);
    });

    it('reports a failing token function and retries with backoff', async () => {
      const token = jest.fn().mockRejectedValueOnce(new Error('login expired')).mockResolvedValue('jwt-ok');
      const client = connectFake({ token });
      const errors = record(client, 'error');
      await settle();
      expect(FakeWebSocket.dialed).toHaveLength(0);
      expect(errors).toEqual([expect.objectContaining({ code: 'NOTIFICATIONS_CLIENT_ERR_TOKEN', cause: new Error('login expired') })]);
      await jest.advanceTimersByTimeAsync(250);
      expect(FakeWebSocket.last.query.get('access_token')).toBe('jwt-ok');
    });
  });

  describe('refresh', () => {
    it('sends a fresh token in a refresh frame before the current one expires', async () => {
      const tokens = [tokenExpiringIn(minutes(10)), tokenExpiringIn(minutes(20))];
      const token = jest.fn(() => tokens.shift() ?? 'unexpected');
      connectFake({ token, refreshBeforeExpiryMs: 30_000 });
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      const fresh = tokens[0];

      await jest.advanceTimersByTimeAsync(minutes(9.5) - 1000);
      expect(socket.framesSent('refresh')).toEqual([]);
      await jest.advanceTimersByTimeAsync(1000);
      expect(socket.framesSent('refresh')).toEqual([{ token: fresh }]);
      expect(token).toHaveBeenCalledTimes(2);
      expect(FakeWebSocket.dialed).toHaveLength(1);
    });

    it('plans the next refresh from the refreshed token', async () => {
      let issued = 0;
      const token = jest.fn(() => {
        issued += 1;
        return tokenExpiringIn(minutes(5), `u1-${issued}`);
      });
      connectFake({ token, refreshBeforeExpiryMs: 60_000 });
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      // Each token lives 5 minutes and is replaced 1 minute before it ends: every 4 minutes.
      await jest.advanceTimersByTimeAsync(minutes(12));
      expect(socket.framesSent('refresh')).toHaveLength(3);
    });

    it('refreshes a short-lived token at half its remaining life', async () => {
      const token = jest.fn(() => tokenExpiringIn(20_000));
      connectFake({ token, refreshBeforeExpiryMs: 30_000 });
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      await jest.advanceTimersByTimeAsync(9_000);
      expect(socket.framesSent('refresh')).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(socket.framesSent('refresh')).toHaveLength(1);
    });

    it('does not plan a refresh for a fixed string token', async () => {
      connectFake({ token: tokenExpiringIn(minutes(1)) });
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      await jest.advanceTimersByTimeAsync(minutes(2));
      expect(socket.framesSent('refresh')).toEqual([]);
    });

    it('stops planning refreshes once the session closes', async () => {
      const token = jest.fn(() => tokenExpiringIn(minutes(10)));
      const client = connectFake({ token });
      await settle();
      FakeWebSocket.last.acceptReady();
      client.close();
      await jest.advanceTimersByTimeAsync(minutes(30));
      expect(token).toHaveBeenCalledTimes(1);
    });
  });
});

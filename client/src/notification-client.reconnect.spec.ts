import { CloseCode } from './close-code';
import { NotificationClient } from './notification-client';
import { connectFake, record, settle } from './testing/connect-fake';
import { FakeWebSocket } from './testing/fake-web-socket';

describe(NotificationClient.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => jest.useRealTimers());

  /** Closes the current socket with `code` `count` times in a row; returns each wait until the redial. */
  async function failDials(count: number, code: number = CloseCode.Abnormal): Promise<number[]> {
    const waits: number[] = [];
    for (let failure = 0; failure < count; failure += 1) {
      const dialsBefore = FakeWebSocket.dialed.length;
      const closedAt = Date.now();
      FakeWebSocket.last.serverClose(code);
      while (FakeWebSocket.dialed.length === dialsBefore) await jest.advanceTimersByTimeAsync(1);
      waits.push(FakeWebSocket.last.dialedAt - closedAt);
    }
    return waits;
  }

  describe('backoff', () => {
    it('dials at once, then waits a doubling window after each failure', async () => {
      connectFake({ random: () => 0.999999 });
      await settle();
      expect(FakeWebSocket.dialed).toHaveLength(1);
      expect(await failDials(5)).toEqual([499, 999, 1999, 3999, 7999]);
    });

    it('stops growing at the cap', async () => {
      connectFake({ random: () => 0.999999, backoffCapMs: 3000 });
      await settle();
      expect(await failDials(5)).toEqual([499, 999, 1999, 2999, 2999]);
    });

    it('draws each delay from zero to the window (full jitter)', async () => {
      const draws = [0, 0.25, 0.999999];
      connectFake({ random: () => draws.shift() ?? 0 });
      await settle();
      expect(await failDials(3)).toEqual([0, 250, 1999]);
    });

    it('starts over once a session reaches ready', async () => {
      connectFake({ random: () => 0.999999 });
      await settle();
      expect(await failDials(3)).toEqual([499, 999, 1999]);
      FakeWebSocket.last.acceptReady();
      expect(await failDials(1)).toEqual([499]);
    });

    it('does not start over on a socket that opens but never gets ready', async () => {
      connectFake({ random: () => 0.999999 });
      await settle();
      expect(await failDials(2)).toEqual([499, 999]);
      FakeWebSocket.last.accept();
      expect(await failDials(1)).toEqual([1999]);
    });

    it.each([CloseCode.PolicyViolation, CloseCode.MessageTooBig, CloseCode.InternalError, CloseCode.Abnormal])(
      'reconnects with backoff after close %i',
      async (code) => {
        const client = connectFake({ random: () => 0.5 });
        const closed = record(client, 'closed');
        await settle();
        FakeWebSocket.last.acceptReady();
        FakeWebSocket.last.serverClose(code, 'bye');
        expect(closed).toEqual([{ code, reason: 'bye', retryInMs: 250 }]);
        await jest.advanceTimersByTimeAsync(249);
        expect(FakeWebSocket.dialed).toHaveLength(1);
        await jest.advanceTimersByTimeAsync(1);
        expect(FakeWebSocket.dialed).toHaveLength(2);
      },
    );
  });

  describe('after a server shutdown (1001)', () => {
    // A deterministic uniform source, so the spread is the same on every run.
    function seededRandom(seed: number): () => number {
      let state = seed;
      return () => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state / 2 ** 31;
      };
    }

    it('spreads 1,000 clients over the shutdown window instead of one burst', async () => {
      const random = seededRandom(42);
      for (let index = 0; index < 1000; index += 1) connectFake({ random });
      await settle();
      const sessions = [...FakeWebSocket.dialed];
      for (const socket of sessions) socket.acceptReady();
      const shutdownAt = Date.now();
      for (const socket of sessions) socket.serverClose(CloseCode.GoingAway, 'server shutting down');
      await jest.advanceTimersByTimeAsync(5000);

      const retries = FakeWebSocket.dialed.slice(1000);
      expect(retries).toHaveLength(1000);
      const perSecond = [0, 0, 0, 0, 0];
      for (const socket of retries) perSecond[Math.floor((socket.dialedAt - shutdownAt) / 1000)] += 1;
      // Uniform over 5 s is 200 a second; no second takes the burst.
      for (const count of perSecond) {
        expect(count).toBeGreaterThan(150);
        expect(count).toBeLessThan(250);
      }
    });
  });

  describe('close codes', () => {
    it('stops for good on 4403 (access revoked)', async () => {
      const client = connectFake();
      const states = record(client, 'state');
      const closed = record(client, 'closed');
      await settle();
      FakeWebSocket.last.acceptReady();
      FakeWebSocket.last.serverClose(CloseCode.AccessRevoked, 'revoked');
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(FakeWebSocket.dialed).toHaveLength(1);
      expect(client.state).toBe('closed');
      expect(states).toEqual(['open', 'closed']);
      expect(closed).toEqual([{ code: 4403, reason: 'revoked', retryInMs: null }]);
    });

    it('on 4401 (token expired), asks the token function again and reconnects at once', async () => {
      let issued = 0;
      const token = jest.fn(async () => `token-${++issued}`);
      connectFake({ token });
      await settle();
      FakeWebSocket.last.acceptReady();
      expect(token).toHaveBeenCalledTimes(1);

      FakeWebSocket.last.serverClose(CloseCode.TokenExpired, 'token expired');
      await settle();
      expect(token).toHaveBeenCalledTimes(2);
      expect(FakeWebSocket.dialed).toHaveLength(2);
      expect(FakeWebSocket.last.query.get('access_token')).toBe('token-2');
    });

    it('backs off on a second 4401 in a row, so expiring tokens cannot spin a loop', async () => {
      connectFake({ token: () => 'token', random: () => 0.999999 });
      await settle();
      FakeWebSocket.last.acceptReady();
      FakeWebSocket.last.serverClose(CloseCode.TokenExpired);
      await settle();
      FakeWebSocket.last.acceptReady();
      FakeWebSocket.last.serverClose(CloseCode.TokenExpired);
      await settle();
      expect(FakeWebSocket.dialed).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1999);
      expect(FakeWebSocket.dialed).toHaveLength(3);
    });

    it('stops on 4401 when the token is a fixed string, which cannot be refreshed', async () => {
      const client = connectFake({ token: 'fixed' });
      const errors = record(client, 'error');
      await settle();
      FakeWebSocket.last.acceptReady();
      FakeWebSocket.last.serverClose(CloseCode.TokenExpired);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(FakeWebSocket.dialed).toHaveLength(1);
      expect(client.state).toBe('closed');
      expect(errors.map((error) => error.code)).toEqual(['NOTIFICATIONS_CLIENT_ERR_TOKEN_EXPIRED']);
    });
  });

  describe('close()', () => {
    it('closes the socket with 1000 and never reconnects', async () => {
      const client = connectFake();
      const closed = record(client, 'closed');
      await settle();
      const socket = FakeWebSocket.last;
      socket.acceptReady();
      client.close();
      socket.serverClose(CloseCode.Normal);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(socket.closedByClient).toEqual({ code: 1000, reason: 'client closed' });
      expect(FakeWebSocket.dialed).toHaveLength(1);
      expect(client.state).toBe('closed');
      expect(closed).toEqual([{ code: 1000, reason: 'client closed', retryInMs: null }]);
    });

    it('cancels a pending retry', async () => {
      const client = connectFake();
      await settle();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      client.close();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(FakeWebSocket.dialed).toHaveLength(1);
    });

    it('stops a listener of closed from being overruled by the pending retry', async () => {
      const client = connectFake();
      client.on('closed', () => client.close());
      await settle();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(FakeWebSocket.dialed).toHaveLength(1);
    });
  });

  it('reports state changes: connecting while retrying, open, closed at the end', async () => {
    const client = connectFake();
    const states = record(client, 'state');
    expect(client.state).toBe('connecting');
    await settle();
    FakeWebSocket.last.acceptReady();
    FakeWebSocket.last.serverClose(CloseCode.Abnormal);
    await jest.advanceTimersByTimeAsync(1000);
    FakeWebSocket.last.acceptReady();
    client.close();
    expect(states).toEqual(['open', 'connecting', 'open', 'closed']);
  });
});

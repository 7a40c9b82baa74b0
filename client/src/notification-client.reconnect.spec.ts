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

    it('starts over once a session reaches ready: the lost-session window, then the doubling from the base', async () => {
      connectFake({ random: () => 0.999999 });
      await settle();
      expect(await failDials(3)).toEqual([499, 999, 1999]);
      FakeWebSocket.last.acceptReady();
      expect(await failDials(2)).toEqual([2999, 999]);
    });

    it('does not start over on a socket that opens but never gets ready', async () => {
      connectFake({ random: () => 0.999999 });
      await settle();
      expect(await failDials(2)).toEqual([499, 999]);
      FakeWebSocket.last.accept();
      expect(await failDials(1)).toEqual([1999]);
    });

    it.each([CloseCode.PolicyViolation, CloseCode.MessageTooBig, CloseCode.InternalError, CloseCode.Abnormal])(
      'reconnects with backoff after close %i of a session, over the lost-session window',
      async (code) => {
        const client = connectFake({ random: () => 0.5 });
        const closed = record(client, 'closed');
        await settle();
        FakeWebSocket.last.acceptReady();
        FakeWebSocket.last.serverClose(code, 'bye');
        expect(closed).toEqual([{ code, reason: 'bye', retryInMs: 1500 }]);
        await jest.advanceTimersByTimeAsync(1499);
        expect(FakeWebSocket.dialed).toHaveLength(1);
        await jest.advanceTimersByTimeAsync(1);
        expect(FakeWebSocket.dialed).toHaveLength(2);
      },
    );

    it('keeps quick retries for a dial that never reached ready', async () => {
      const client = connectFake({ random: () => 0.5 });
      const closed = record(client, 'closed');
      await settle();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      await jest.advanceTimersByTimeAsync(250);
      FakeWebSocket.last.accept();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      expect(closed.map((event) => event.retryInMs)).toEqual([250, 500]);
    });

    it('takes lostSessionWindowMs as the first window after losing a session', async () => {
      const client = connectFake({ random: () => 0.999999, lostSessionWindowMs: 8000 });
      const closed = record(client, 'closed');
      await settle();
      FakeWebSocket.last.acceptReady();
      FakeWebSocket.last.serverClose(CloseCode.Abnormal);
      expect(closed.map((event) => event.retryInMs)).toEqual([7999]);
    });
  });

  // A deterministic uniform source, so the spread is the same on every run.
  function seededRandom(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  describe("a whole node's clients dropped at once", () => {
    // Slices of the window: uniform is 1,000 × slice / window each; none may take the burst.
    it.each([
      ['a crash (1006, no warning)', CloseCode.Abnormal, 3000, 500, 7],
      ['an announced shutdown (1001)', CloseCode.GoingAway, 5000, 1000, 42],
    ])('after %s, 1,000 first reconnects spread over the window (close %i, %i ms)', async (_, code, windowMs, sliceMs, seed) => {
      const random = seededRandom(seed);
      for (let index = 0; index < 1000; index += 1) connectFake({ random });
      await settle();
      const sessions = [...FakeWebSocket.dialed];
      for (const socket of sessions) socket.acceptReady();
      const droppedAt = Date.now();
      for (const socket of sessions) socket.serverClose(code);
      await jest.advanceTimersByTimeAsync(windowMs);

      const redials = FakeWebSocket.dialed.slice(1000);
      expect(redials).toHaveLength(1000);
      const perSlice = new Array<number>(windowMs / sliceMs).fill(0);
      for (const socket of redials) perSlice[Math.floor((socket.dialedAt - droppedAt) / sliceMs)] += 1;
      const uniform = (1000 * sliceMs) / windowMs;
      for (const count of perSlice) {
        expect(count).toBeGreaterThan(uniform * 0.75);
        expect(count).toBeLessThan(uniform * 1.25);
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
    await jest.advanceTimersByTimeAsync(3000);
    FakeWebSocket.last.acceptReady();
    client.close();
    expect(states).toEqual(['open', 'connecting', 'open', 'closed']);
  });
});

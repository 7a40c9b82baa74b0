import { WebSocket } from 'ws';
import { Principal } from '../auth/principal';
import { Session } from './session';

/** A socket stand-in that records what the session writes (the session is the unit here). */
function recordingSocket() {
  const sent: string[] = [];
  const socket = { readyState: WebSocket.OPEN, send: (frame: string) => sent.push(frame), close: jest.fn() };
  return { socket: socket as unknown as WebSocket, sent };
}

const principal: Principal = {
  userId: 'alice',
  scopes: new Set(),
  expiresAt: Date.now() + 60_000,
  issuedAt: undefined,
  claims: {},
};

describe(Session.name, () => {
  it('holds live frames during the replay and drops those the replay already sent', () => {
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    // Commits 5 and 6 land after registration but before the backlog query: published live…
    session.sendNotification(5, 'live-5');
    session.sendOther('unread-after-5');
    session.sendNotification(6, 'live-6');
    // …and also read by the backlog query, which only reaches 5.
    void session.sendReplayed(4, 'replay-4');
    void session.sendReplayed(5, 'replay-5');
    expect(sent).toEqual(['replay-4', 'replay-5']);
    session.goLive();
    expect(sent).toEqual(['replay-4', 'replay-5', 'unread-after-5', 'live-6']);
  });

  it('never sends a cursor twice or out of order once live', () => {
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    session.goLive();
    session.sendNotification(2, 'n2');
    session.sendNotification(2, 'n2-again');
    session.sendNotification(1, 'n1-late');
    session.sendNotification(3, 'n3');
    expect(sent).toEqual(['n2', 'n3']);
    expect(session.cursor).toBe(3);
  });

  it('starts after the resume cursor', () => {
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, '10');
    session.goLive();
    session.sendNotification(10, 'n10');
    session.sendNotification(11, 'n11');
    expect(sent).toEqual(['n11']);
  });

  it('writes nothing to a socket that is no longer open', () => {
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    session.goLive();
    (socket as { readyState: number }).readyState = WebSocket.CLOSED;
    session.sendNotification(1, 'n1');
    expect(sent).toEqual([]);
  });
});

describe(`${Session.name} slow consumers`, () => {
  it('drops the socket, once, when frames queue past the cap, instead of queueing more', () => {
    const sent: string[] = [];
    const socket: { readyState: number; bufferedAmount: number; send(frame: string): void; terminate: jest.Mock } = {
      readyState: WebSocket.OPEN,
      bufferedAmount: 0,
      send: (frame) => void sent.push(frame),
      terminate: jest.fn(() => (socket.readyState = WebSocket.CLOSING)),
    };
    const session = new Session(socket as unknown as WebSocket, principal, undefined);
    session.maxBufferedBytes = 100;
    session.onSlowConsumer = jest.fn();
    session.goLive();
    session.send('first');
    socket.bufferedAmount = 101;
    session.send('second');
    session.send('third');
    expect(sent).toEqual(['first']);
    expect(socket.terminate).toHaveBeenCalledTimes(1);
    expect(session.onSlowConsumer).toHaveBeenCalledTimes(1);
  });
});

describe(`${Session.name} with out-of-order live cursors`, () => {
  it('holds a notification whose previous cursor it has not sent, and asks to catch up', () => {
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, '10');
    const behind = jest.fn();
    session.whenBehind(behind);
    session.goLive();
    session.sendNotification(12, 'n12', 11);
    expect(sent).toEqual([]);
    expect(behind).toHaveBeenCalledTimes(1);
    expect(session.isLive).toBe(false);
    // The catch-up reads 11 and 12 from the database, then goes live: the held 12 is a duplicate.
    session.sendNotification(11, 'n11-late', 10);
    void session.sendReplayed(11, 'replay-11');
    void session.sendReplayed(12, 'replay-12');
    session.goLive();
    expect(sent).toEqual(['replay-11', 'replay-12']);
    session.sendNotification(13, 'n13', 12);
    expect(sent).toEqual(['replay-11', 'replay-12', 'n13']);
    expect(behind).toHaveBeenCalledTimes(1);
  });

  it('sends at once when the previous cursor is one it sent or skipped', () => {
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    session.whenBehind(() => {
      throw new Error('should not fall behind');
    });
    void session.sendReplayed(3, 'replay-3');
    session.coveredUpTo(7);
    session.goLive();
    session.sendNotification(8, 'n8', 7);
    session.sendNotification(5, 'n5-old', 4);
    expect(sent).toEqual(['replay-3', 'n8']);
  });

  it('falls behind while releasing held frames, keeping the rest in order', () => {
    const { socket, sent } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    const behind = jest.fn();
    session.whenBehind(behind);
    session.sendNotification(1, 'n1', 0);
    session.sendOther('unread');
    session.sendNotification(3, 'n3', 2);
    session.sendNotification(4, 'n4', 3);
    session.goLive();
    expect(sent).toEqual(['n1', 'unread']);
    expect(behind).toHaveBeenCalledTimes(1);
    void session.sendReplayed(2, 'replay-2');
    void session.sendReplayed(3, 'replay-3');
    session.goLive();
    expect(sent).toEqual(['n1', 'unread', 'replay-2', 'replay-3', 'n4']);
  });

  it('reads again when asked to catch up during a replay, and catches up at once when live', () => {
    const { socket } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    const behind = jest.fn();
    session.whenBehind(behind);
    session.requestCatchUp();
    expect(behind).not.toHaveBeenCalled();
    expect(session.takeRereadRequest()).toBe(true);
    expect(session.takeRereadRequest()).toBe(false);
    session.goLive();
    session.requestCatchUp();
    expect(behind).toHaveBeenCalledTimes(1);
    expect(session.isLive).toBe(false);
  });
});

describe(`${Session.name} client frames`, () => {
  it('handles a client frame only after the previous one finished, failures included', async () => {
    const { socket } = recordingSocket();
    const session = new Session(socket, principal, undefined);
    const order: string[] = [];
    let finishAck!: () => void;
    const ack = session.inTurn(() => new Promise<void>((resolve) => (finishAck = resolve)).then(() => order.push('ack')));
    const failing = session.inTurn(() => Promise.reject(new Error('boom')));
    const ping = session.inTurn(() => order.push('ping'));
    await Promise.resolve();
    expect(order).toEqual([]);
    finishAck();
    await ack;
    await expect(failing).rejects.toThrow('boom');
    await ping;
    expect(order).toEqual(['ack', 'ping']);
  });
});

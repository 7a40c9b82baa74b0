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
    session.sendReplayed(4, 'replay-4');
    session.sendReplayed(5, 'replay-5');
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

import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { Heartbeat } from './heartbeat';

/** A socket stand-in: counts pings, records termination, can answer with a pong. */
class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  pings = 0;
  terminated = false;
  ping(): void {
    this.pings++;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = WebSocket.CLOSED;
  }
}

describe(Heartbeat.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('pings every interval, keeps a socket that answers, and terminates one silent for two intervals', () => {
    const answering = new FakeSocket();
    const silent = new FakeSocket();
    const sockets = [answering, silent] as unknown as WebSocket[];
    const heartbeat = new Heartbeat(1000, () => sockets);
    sockets.forEach((socket) => heartbeat.track(socket));
    heartbeat.start();

    jest.advanceTimersByTime(1000);
    expect([answering.pings, silent.pings]).toEqual([1, 1]);
    answering.emit('pong');

    jest.advanceTimersByTime(1000);
    answering.emit('message');
    expect(silent.terminated).toBe(true);
    expect(answering.terminated).toBe(false);

    jest.advanceTimersByTime(1000);
    expect(answering.terminated).toBe(false);
    expect(answering.pings).toBe(3);
    heartbeat.stop();
  });

  it('does nothing when the interval is 0', () => {
    const socket = new FakeSocket();
    const heartbeat = new Heartbeat(0, () => [socket as unknown as WebSocket]);
    heartbeat.track(socket as unknown as WebSocket);
    heartbeat.start();
    jest.advanceTimersByTime(60_000);
    expect(socket.pings).toBe(0);
  });
});

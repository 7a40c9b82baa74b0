import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { coalesceFramesThisTurn, writeTogether } from './frame-coalescing';
import { Session } from './session';

describe(coalesceFramesThisTurn.name, () => {
  let server: WebSocketServer;
  let serverSide: WebSocket;
  let client: WebSocket;

  beforeEach(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    [serverSide] = await Promise.all([accepted, new Promise((resolve) => client.once('open', resolve))]);
  });
  afterEach(async () => {
    client.terminate();
    serverSide.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  /** How many times the server's TCP socket hands data to the kernel while `send` runs. */
  async function writesFor(send: () => void, frames: number): Promise<number> {
    const tcp = (serverSide as unknown as { _socket: { _writeGeneric: (...args: unknown[]) => unknown } })._socket;
    let writes = 0;
    const original = tcp._writeGeneric.bind(tcp);
    tcp._writeGeneric = (...args: unknown[]) => {
      writes++;
      return original(...args);
    };
    const received = new Promise<void>((resolve) => {
      let count = 0;
      client.on('message', () => ++count === frames && resolve());
    });
    send();
    await received;
    return writes;
  }

  it('sends the frames of one turn in one write, in order', async () => {
    const seen: string[] = [];
    client.on('message', (data) => seen.push(String(data)));
    const writes = await writesFor(() => {
      for (const frame of ['notification', 'unread', 'pong']) {
        coalesceFramesThisTurn(serverSide);
        serverSide.send(frame);
      }
    }, 3);
    expect(writes).toBe(1);
    expect(seen).toEqual(['notification', 'unread', 'pong']);
  });

  it('writes each frame at once without it, as ws does', async () => {
    expect(await writesFor(() => ['a', 'b', 'c'].forEach((frame) => serverSide.send(frame)), 3)).toBe(3);
  });

  it('ignores a socket that has no TCP socket of its own (a Server-Sent Events stream)', () => {
    expect(() => coalesceFramesThisTurn({ readyState: 1, bufferedAmount: 0 } as never)).not.toThrow();
  });

  it('leaves a socket that someone else corked to them, and still writes its frames once', async () => {
    const tcp = (serverSide as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    const writes = await writesFor(() => {
      tcp.cork();
      for (const frame of ['a', 'b']) {
        coalesceFramesThisTurn(serverSide);
        serverSide.send(frame);
      }
      setImmediate(() => tcp.uncork());
    }, 2);
    expect(writes).toBe(1);
  });

  it('uncorks every socket of a turn, each with one write', async () => {
    const second = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    const [secondServerSide] = await Promise.all([accepted, new Promise((resolve) => second.once('open', resolve))]);
    const received = new Promise((resolve) => second.once('message', resolve));
    try {
      const writes = await writesFor(() => {
        for (const socket of [serverSide, secondServerSide, serverSide, secondServerSide]) {
          coalesceFramesThisTurn(socket);
          socket.send('frame');
        }
      }, 2);
      expect(writes).toBe(1);
      expect(String(await received)).toBe('frame');
    } finally {
      second.terminate();
      secondServerSide.terminate();
    }
  });

  it('hands the frames written together to the kernel in one write when the call returns', async () => {
    const seen: string[] = [];
    client.on('message', (data) => seen.push(String(data)));
    let writtenBeforeTurnEnd = -1;
    const writes = await writesFor(() => {
      writeTogether(serverSide, () => ['notification', 'unread'].forEach((frame) => serverSide.send(frame)));
      writtenBeforeTurnEnd = (serverSide as unknown as { _socket: { writableLength: number } })._socket.writableLength;
    }, 2);
    expect(writes).toBe(1);
    expect(writtenBeforeTurnEnd).toBe(0);
    expect(seen).toEqual(['notification', 'unread']);
  });

  it("leaves a socket corked for the turn to the turn's write", async () => {
    const writes = await writesFor(() => {
      coalesceFramesThisTurn(serverSide);
      serverSide.send('pong');
      writeTogether(serverSide, () => ['notification', 'unread'].forEach((frame) => serverSide.send(frame)));
    }, 3);
    expect(writes).toBe(1);
  });

  it("writes a session's replayed backlog in a few writes, in order, not one per frame", async () => {
    const principal = { userId: 'alice', scopes: new Set<string>(), expiresAt: Date.now() + 60_000, issuedAt: undefined, claims: {} };
    const session = new Session(serverSide, principal, undefined);
    const seen: string[] = [];
    client.on('message', (data) => seen.push(String(data)));
    const frames = Array.from({ length: 200 }, (_, index) => `frame-${index}`);
    const writes = await writesFor(() => {
      void (async () => {
        for (const [index, frame] of frames.entries()) await session.sendReplayed(index + 1, frame);
      })();
    }, frames.length);
    expect(writes).toBeLessThan(5);
    expect(seen).toEqual(frames);
  });
});

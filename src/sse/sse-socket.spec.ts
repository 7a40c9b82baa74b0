import { EventEmitter } from 'node:events';
import { ServerResponse } from 'node:http';
import { SseSocket, SSE_HEARTBEAT_MS, toServerSentEvent } from './sse-socket';

/** A response stand-in that records what the socket writes (the socket is the unit here). */
function recordingResponse() {
  const response = Object.assign(new EventEmitter(), {
    written: [] as string[],
    headers: {} as Record<string, string>,
    status: 0,
    writableEnded: false,
    destroyed: false,
    socket: { setNoDelay: jest.fn() },
    writeHead(status: number, headers: Record<string, string>) {
      response.status = status;
      response.headers = headers;
    },
    flushHeaders: jest.fn(),
    write(chunk: string) {
      response.written.push(chunk);
      return true;
    },
    end() {
      response.writableEnded = true;
      response.emit('close');
    },
  });
  return response;
}

describe(SseSocket.name, () => {
  afterEach(() => jest.useRealTimers());

  it('answers 200 text/event-stream at once and turns frames into events, with the cursor as id', () => {
    const response = recordingResponse();
    const socket = new SseSocket(response as unknown as ServerResponse);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.flushHeaders).toHaveBeenCalled();
    socket.send('{"event":"ready","data":{"sessionId":"s","userId":"u","unreadCount":0}}');
    socket.send('{"event":"notification","data":{"id":"n1","cursor":"42","title":"two\\nlines"}}');
    expect(response.written).toEqual([
      'event: ready\ndata: {"sessionId":"s","userId":"u","unreadCount":0}\n\n',
      'event: notification\nid: 42\ndata: {"id":"n1","cursor":"42","title":"two\\nlines"}\n\n',
    ]);
  });

  it('writes a heartbeat comment every interval while open, and stops once closed', () => {
    jest.useFakeTimers();
    const response = recordingResponse();
    const socket = new SseSocket(response as unknown as ServerResponse);
    jest.advanceTimersByTime(SSE_HEARTBEAT_MS * 2);
    expect(response.written).toEqual([': heartbeat\n\n', ': heartbeat\n\n']);
    socket.close(1001, 'server shutting down');
    jest.advanceTimersByTime(SSE_HEARTBEAT_MS * 2);
    expect(response.written).toHaveLength(3);
  });

  it('closes with an event naming the code and reason, ends the response and reports close once', () => {
    const response = recordingResponse();
    const socket = new SseSocket(response as unknown as ServerResponse);
    const onClose = jest.fn();
    socket.once('close', onClose);
    socket.close(4401, 'token expired');
    socket.close(4401, 'token expired');
    socket.send('{"event":"unread","data":{"count":1}}');
    expect(response.written).toEqual(['event: close\ndata: {"code":4401,"reason":"token expired"}\n\n']);
    expect(response.writableEnded).toBe(true);
    expect(socket.readyState).toBe(3);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('notices the client going away', () => {
    const response = recordingResponse();
    const socket = new SseSocket(response as unknown as ServerResponse);
    const onClose = jest.fn();
    socket.once('close', onClose);
    response.destroyed = true;
    response.emit('close');
    expect(socket.readyState).toBe(3);
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe(toServerSentEvent.name, () => {
  it('gives only notifications an id, so other events leave Last-Event-ID alone', () => {
    expect(toServerSentEvent('{"event":"unread","data":{"count":3}}')).toBe('event: unread\ndata: {"count":3}\n\n');
  });
});

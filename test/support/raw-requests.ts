import { randomBytes } from 'node:crypto';
import { connect, Socket } from 'node:net';

/** An HTTP/1.1 request as bytes on the wire, and the server it goes to. */
export interface RawRequest {
  url: string;
  text: string;
}

/** One raw request as the server answered it: the status of its first line, and its socket. */
export interface RawAnswer {
  status: number;
  socket: Socket;
}

/** A WebSocket upgrade of `pathAndQuery`, as a browser writes it. */
export function upgradeRequest(url: string, pathAndQuery: string): RawRequest {
  return rawRequest(url, pathAndQuery, {
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-version': '13',
    'sec-websocket-key': randomBytes(16).toString('base64'),
  });
}

/** `GET /notifications/stream`, as EventSource asks for it. */
export function streamRequest(url: string, token: string, headers: Record<string, string> = {}): RawRequest {
  return rawRequest(url, '/notifications/stream', {
    accept: 'text/event-stream',
    authorization: `Bearer ${token}`,
    ...headers,
  });
}

/**
 * Opens one TCP connection per request first, then writes every request in one loop (one tick
 * of the event loop), so that the servers handle them as concurrently as they ever will.
 * `beforeWriting` runs once every connection is open, `afterWriting` once every request is
 * written. Resolves with each answer's status line, in the order of `requests`; the sockets of
 * `101`s and `200` streams are open sessions, which the caller destroys.
 */
export async function requestAllAtOnce(
  requests: RawRequest[],
  options: {
    beforeWriting?: (sockets: Socket[]) => Promise<void>;
    afterWriting?: () => Promise<void>;
  } = {},
): Promise<RawAnswer[]> {
  const sockets = await connectAll(requests);
  await options.beforeWriting?.(sockets);
  const statuses = sockets.map((socket) => statusOf(socket));
  requests.forEach((request, index) => sockets[index].write(request.text));
  await options.afterWriting?.();
  return Promise.all(
    statuses.map(async (status, index) => ({
      status: await status,
      socket: sockets[index],
    })),
  );
}

/**
 * Like requestAllAtOnce, but each client is gone as soon as its request is on the wire: the
 * server finishes its checks for a client that has left, and its answer meets a reset.
 * Resolves with the clients' local ports, once they are all closed.
 */
export async function abandonAllAtOnce(requests: RawRequest[]): Promise<number[]> {
  const sockets = await connectAll(requests);
  const ports = sockets.map((socket) => socket.localPort!);
  const gone = sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
  requests.forEach((request, index) => sockets[index].write(request.text, () => sockets[index].destroy()));
  await Promise.all(gone);
  return ports;
}

/** The statuses, counted: `{101: 3, 429: 17}`. */
export function countStatuses(answers: Array<{ status: number }>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function rawRequest(url: string, pathAndQuery: string, headers: Record<string, string>): RawRequest {
  const lines = [`GET ${pathAndQuery} HTTP/1.1`, `host: ${new URL(url).host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return { url, text: `${lines.join('\r\n')}\r\n\r\n` };
}

function connectAll(requests: RawRequest[]): Promise<Socket[]> {
  return Promise.all(
    requests.map(({ url }) => {
      const { hostname, port } = new URL(url);
      return new Promise<Socket>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => resolve(socket));
        socket.once('error', reject);
      });
    }),
  );
}

function statusOf(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const statusLine = /^HTTP\/1\.1 (\d{3}) /.exec(head);
      if (!statusLine) return;
      socket.off('data', onData);
      // What follows (frames, events, a body) is not read: keep the socket flowing.
      socket.resume();
      resolve(Number(statusLine[1]));
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`The connection closed before a status line: ${JSON.stringify(head)}`)));
  });
}

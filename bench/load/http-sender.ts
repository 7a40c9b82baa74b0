/**
 * POSTs notifications the way a backend service does: a keep-alive connection pool of bounded
 * size. Requests beyond the pool wait in it, and since latency is timed from each request's
 * schedule, that wait is counted, not hidden.
 *
 * HTTP/1.1 is written by hand over `net` (one write per request, a minimal response parser)
 * because `http.request` costs the client about three times the CPU per request; at 4,000/s it
 * would saturate the load client's core and every figure would describe the client.
 */
import net from 'node:net';

export interface HttpResult {
  status: number;
  body: string;
}

interface Job {
  request: string;
  resolve: (result: HttpResult) => void;
  reject: (error: Error) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Idle connections are closed by the client before any server would close them (Node's
 * default keep-alive timeout is 5 s), so a request never races a server-side close.
 */
const IDLE_CLOSE_MS = 2000;

/** One keep-alive connection: at most one request in flight (no pipelining). */
class Connection {
  job?: Job;
  idleTimer?: NodeJS.Timeout;
  connected = false;
  private closed = false;
  private buffered: Buffer = Buffer.alloc(0);
  readonly socket: net.Socket;

  constructor(
    port: number,
    private readonly onIdle: (connection: Connection) => void,
    private readonly onGone: (connection: Connection, error: Error) => void,
  ) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.connected = true;
      this.onIdle(this);
    });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (error) => this.close(error));
    this.socket.on('close', () => this.close(new Error('connection closed by the server')));
  }

  send(job: Job): void {
    this.job = job;
    this.socket.write(job.request);
  }

  close(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    const job = this.job;
    this.job = undefined;
    this.socket.destroy();
    job?.reject(error);
    this.onGone(this, error);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const response = parseResponse(this.buffered);
    if (!response) return;
    this.buffered = this.buffered.subarray(response.length);
    const job = this.job;
    this.job = undefined;
    job?.resolve({ status: response.status, body: response.body });
    if (response.keepAlive) this.onIdle(this);
    else this.close(new Error('connection not kept alive'));
  }
}

/** A complete response at the start of `data`, or undefined when more bytes are needed. */
function parseResponse(data: Buffer): { status: number; body: string; length: number; keepAlive: boolean } | undefined {
  const headerEnd = data.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = data.toString('latin1', 0, headerEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const keepAlive = !/\r\nconnection: *close/.test(head);
  const bodyStart = headerEnd + HEADER_END.length;
  if (/\r\ntransfer-encoding: *chunked/.test(head)) {
    const chunks: Buffer[] = [];
    let offset = bodyStart;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', offset);
      if (lineEnd < 0) return undefined;
      const size = parseInt(data.toString('latin1', offset, lineEnd), 16);
      if (data.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) return { status, body: Buffer.concat(chunks).toString(), length: lineEnd + 4, keepAlive };
      chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  const lengthHeader = /\r\ncontent-length: *(\d+)/.exec(head);
  const length = lengthHeader ? Number(lengthHeader[1]) : 0;
  if (data.length < bodyStart + length) return undefined;
  return { status, body: data.toString('utf8', bodyStart, bodyStart + length), length: bodyStart + length, keepAlive };
}

export class HttpSender {
  private readonly connections = new Set<Connection>();
  private readonly idle: Connection[] = [];
  private queue: Job[] = [];

  constructor(
    private readonly port: number,
    private readonly token: string,
    private readonly poolSize = 64,
  ) {}

  post(path: string, json: string): Promise<HttpResult> {
    return this.request('POST', path, json);
  }

  get(path: string): Promise<HttpResult> {
    return this.request('GET', path, '');
  }

  put(path: string): Promise<HttpResult> {
    return this.request('PUT', path, '');
  }

  /** Fails every request still queued or in flight and closes the pool; later requests reopen it. */
  abortPending(): void {
    const error = new Error('aborted: phase over');
    for (const job of this.queue.splice(0)) job.reject(error);
    for (const connection of [...this.connections]) connection.close(error);
  }

  close(): void {
    this.abortPending();
  }

  private request(method: string, path: string, body: string): Promise<HttpResult> {
    const contentType = method === 'POST' ? 'Content-Type: application/json\r\n' : '';
    const request =
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nAuthorization: Bearer ${this.token}\r\n` +
      `${contentType}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      const connection = this.idle.pop();
      if (connection) this.dispatch(connection);
      else if (this.connections.size < this.poolSize) this.open();
    });
  }

  private open(): void {
    const connection = new Connection(
      this.port,
      (ready) => this.dispatch(ready),
      (gone, error) => {
        this.connections.delete(gone);
        const index = this.idle.indexOf(gone);
        if (index >= 0) this.idle.splice(index, 1);
        // A server that cannot be reached fails what waits; one that closed a connection
        // gets a fresh one for the requests still waiting.
        if (!gone.connected) for (const job of this.queue.splice(0)) job.reject(error);
        else if (this.queue.length && this.connections.size < this.poolSize) this.open();
      },
    );
    this.connections.add(connection);
  }

  private dispatch(connection: Connection): void {
    clearTimeout(connection.idleTimer);
    const job = this.queue.shift();
    if (job) {
      connection.send(job);
      return;
    }
    this.idle.push(connection);
    connection.idleTimer = setTimeout(() => connection.close(new Error('idle')), IDLE_CLOSE_MS);
  }
}

import { WebSocket } from 'ws';

export interface Frame {
  event: string;
  data: any;
}

/**
 * A real `ws` client that records every frame, and resolves waits on the frames a test
 * expects (with a timeout), so tests wait on events rather than sleeping.
 */
export class TestClient {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  private readonly waiters: Array<() => void> = [];
  private readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.wake();
        resolve(code);
      }),
    );
  }

  /** Connects and waits for the upgrade; rejects with the HTTP status if refused. */
  static connect(url: string, options: { headers?: Record<string, string> } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers: options.headers });
      socket.once('open', () => resolve(new TestClient(socket)));
      socket.once('unexpected-response', (_, response) => {
        const error = Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode });
        socket.terminate();
        reject(error);
      });
      socket.once('error', reject);
    });
  }

  /** Connects as a user with `?access_token=` (and `after` when resuming). */
  static async open(wsUrl: string, token: string, after?: string): Promise<TestClient> {
    const query = `access_token=${encodeURIComponent(token)}${after === undefined ? '' : `&after=${after}`}`;
    const client = await TestClient.connect(`${wsUrl}/ws?${query}`);
    await client.next('ready');
    return client;
  }

  send(event: string, data: unknown): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  /** Frames of one event received so far. */
  all(event: string): Frame[] {
    return this.frames.filter((frame) => frame.event === event);
  }

  /** Waits until `count` frames of `event` have arrived in total; returns them. */
  async waitFor(event: string, count = 1, timeoutMs = 5000): Promise<Frame[]> {
    await this.until(() => this.all(event).length >= count, `${count} "${event}" frame(s)`, timeoutMs);
    return this.all(event);
  }

  /** The first frame of `event` (waiting for it if needed). */
  async next(event: string, timeoutMs = 5000): Promise<Frame> {
    return (await this.waitFor(event, 1, timeoutMs))[0];
  }

  /** Waits for the server to close the socket; returns the close code. */
  async waitForClose(timeoutMs = 5000): Promise<number> {
    await this.until(() => this.closeCode !== undefined, 'close', timeoutMs);
    return this.closeCode!;
  }

  /** Sends a ping and waits for its pong: every frame sent before it has been handled. */
  async roundTrip(): Promise<void> {
    const pongs = this.all('pong').length;
    this.send('ping', {});
    await this.waitFor('pong', pongs + 1);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }

  private until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const received = this.frames.map((frame) => frame.event).join(', ');
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received: [${received}]`));
      }, timeoutMs);
      const check = () => {
        if (condition()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiters = this.waiters.splice(0);
    for (const waiter of waiters) waiter();
  }
}

/** One Server-Sent Event as a client sees it. */
export interface ServerSentEvent {
  event: string;
  id: string | undefined;
  data: any;
}

/**
 * A real Server-Sent Events client over fetch that records every event and comment, and
 * resolves waits on the events a test expects (with a timeout), like TestClient does for
 * WebSocket frames.
 */
export class SseTestClient {
  readonly events: ServerSentEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private readonly waiters: Array<() => void> = [];

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  /** Opens `/notifications/stream`; resolves once the response headers arrive, whatever the status. */
  static async open(
    baseUrl: string,
    options: { token?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<SseTestClient> {
    const query = new URLSearchParams(options.query);
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const url = `${baseUrl}/notifications/stream${query.size ? `?${query}` : ''}`;
    const abort = new AbortController();
    const response = await fetch(url, { headers, signal: abort.signal });
    const client = new SseTestClient(response, abort);
    if (response.ok) void client.read();
    return client;
  }

  /** Opens a stream as a user and waits for its `ready` event. */
  static async connect(baseUrl: string, token: string, lastEventId?: string): Promise<SseTestClient> {
    const client = await SseTestClient.open(baseUrl, {
      token,
      headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
    });
    if (client.response.status !== 200) throw new Error(`HTTP ${client.response.status}`);
    await client.next('ready');
    return client;
  }

  all(event: string): ServerSentEvent[] {
    return this.events.filter((received) => received.event === event);
  }

  async waitFor(event: string, count = 1, timeoutMs = 5000): Promise<ServerSentEvent[]> {
    await this.until(() => this.all(event).length >= count, `${count} "${event}" event(s)`, timeoutMs);
    return this.all(event);
  }

  async next(event: string, timeoutMs = 5000): Promise<ServerSentEvent> {
    return (await this.waitFor(event, 1, timeoutMs))[0];
  }

  /** Waits until the server ends the stream. */
  async waitForEnd(timeoutMs = 5000): Promise<void> {
    await this.until(() => this.ended, 'the end of the stream', timeoutMs);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) !== -1) {
          this.parseBlock(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
    this.ended = true;
    this.wake();
  }

  private parseBlock(block: string): void {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ event, id, data: JSON.parse(data.join('\n')) });
    this.wake();
  }

  private until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const received = this.events.map((received) => received.event).join(', ');
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
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A POST the receiver took, verified with the Standard Webhooks reference library. */
export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  body: { type: string; timestamp: string; data: any };
  /** Whether the signature verified. */
  verified: boolean;
  /** The status the receiver answered. */
  status: number;
}

/**
 * A webhook endpoint on 127.0.0.1, as a host application writes one: verifies each POST's
 * signature with `standardwebhooks` and answers 204, or the statuses queued with `failNext`.
 */
export class WebhookReceiver {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly secret: string,
    readonly received: ReceivedWebhook[],
    private readonly failures: number[],
    private readonly waiters: Array<() => void>,
  ) {}

  static async start(secret = `whsec_${Buffer.from('receiver key of 32 bytes, random').toString('base64')}`): Promise<WebhookReceiver> {
    const received: ReceivedWebhook[] = [];
    const failures: number[] = [];
    const waiters: Array<() => void> = [];
    const verifier = new Webhook(secret);
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        };
        let verified = true;
        try {
          verifier.verify(text, headers);
        } catch {
          // A wrong signature is what the test looks at: recorded, answered 401.
          verified = false;
        }
        const status = !verified ? 401 : (failures.shift() ?? 204);
        received.push({
          id: headers['webhook-id'],
          timestamp: Number(headers['webhook-timestamp']),
          body: JSON.parse(text),
          verified,
          status,
        });
        response.writeHead(status).end();
        for (const wake of waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks`, secret, received, failures, waiters);
  }

  /** The next POSTs are answered with these statuses (then 204 again). */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** Resolves with the received POSTs once `holds` is true of them (fails after the timeout). */
  async waitFor(holds: (received: ReceivedWebhook[]) => boolean, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (!holds(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`Webhooks received so far: ${JSON.stringify(this.received.map((each) => [each.body.type, each.status]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((each) => each.body.type === type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

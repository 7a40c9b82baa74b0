import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail the SMTP peer received: the envelope and the parsed message. */
export interface ReceivedMail {
  from: string;
  to: string[];
  mail: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package, no TLS, no auth) that keeps
 * every message it accepts, parsed as a mail client would. `refuseNext` answers the next
 * messages with an SMTP error instead.
 */
export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  private readonly refusals: Array<{ code: number; message: string }> = [];
  private waiters: Array<() => void> = [];
  private server!: SMTPServer;
  url = '';

  static async start(): Promise<SmtpPeer> {
    const peer = new SmtpPeer();
    peer.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const refusal = peer.refusals.shift();
        simpleParser(stream)
          .then((mail) => {
            if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
            peer.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((each) => each.address),
              mail,
            });
            callback();
            for (const wake of peer.waiters.splice(0)) wake();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    const { port } = peer.server.server.address() as AddressInfo;
    peer.url = `smtp://127.0.0.1:${port}`;
    return peer;
  }

  /** The next messages are refused with this SMTP reply (4xx: try later; 5xx: never). */
  refuseNext(code: number, message: string, times = 1): void {
    for (let index = 0; index < times; index++) this.refusals.push({ code, message });
  }

  /** Resolves once `count` mails have arrived (fails after the timeout). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.received.length} of ${count} mails arrived`);
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

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

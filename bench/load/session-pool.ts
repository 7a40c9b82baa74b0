/**
 * Opens many authenticated sessions on a schedule and keeps them: the "users online" of
 * every scenario.
 */
import { LatencyRecorder } from './latency';
import { NotificationListener, openSession, ProtocolName, Session } from './protocols';
import { TokenIssuer } from './tokens';

/**
 * Loopback source addresses the connections are spread over. Each (source, destination)
 * pair has its own ~28,000 ephemeral ports, so tens of thousands of sessions never run out.
 */
const SOURCE_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

export interface PoolOptions {
  protocol: ProtocolName;
  port: number;
  tokens: TokenIssuer;
  onNotification: NotificationListener;
  /** New connections started per second (the schedule handshakes are timed from). */
  connectsPerSecond: number;
  /** At most this many handshakes in flight; more wait, and the wait counts in their latency. */
  maxInFlight: number;
  handshakeTimeoutMs?: number;
  /** Runs before the sessions of these users open (--tenancy-preferences stores their preferences). */
  prepare?: (userIds: string[]) => Promise<void>;
}

export interface OpenResult {
  opened: Session[];
  failed: number;
  /** From each connection's scheduled start to its `ready` frame. */
  handshakes: LatencyRecorder;
  firstError?: string;
}

export class SessionPool {
  readonly sessions: Session[] = [];
  readonly sessionsByUser = new Map<string, Session>();

  constructor(private readonly options: PoolOptions) {}

  /** Opens one session per user id, open-loop at the configured rate. */
  async open(userIds: string[]): Promise<OpenResult> {
    const { connectsPerSecond, maxInFlight, protocol, port, tokens, onNotification } = this.options;
    await this.options.prepare?.(userIds);
    const handshakes = new LatencyRecorder();
    const opened: Session[] = [];
    let failed = 0;
    let firstError: string | undefined;
    let inFlight = 0;
    let next = 0;
    const startedAt = performance.now();
    const intervalMs = 1000 / connectsPerSecond;

    await new Promise<void>((resolve) => {
      const startDue = () => {
        const due = Math.min(userIds.length, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
        while (next < due && inFlight < maxInFlight) {
          const index = next++;
          const scheduledAt = startedAt + index * intervalMs;
          const userId = userIds[index];
          const session = openSession(protocol, {
            port,
            userId,
            token: tokens.forUser(userId),
            localAddress: SOURCE_ADDRESSES[index % SOURCE_ADDRESSES.length],
            onNotification,
            handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 15_000,
          });
          inFlight++;
          session.ready
            .then(
              (readyAt) => {
                handshakes.recordMs(readyAt - scheduledAt);
                opened.push(session);
                this.sessions.push(session);
                this.sessionsByUser.set(userId, session);
              },
              (error: Error) => {
                failed++;
                firstError ??= error.message;
                session.terminate();
              },
            )
            .finally(() => {
              inFlight--;
              if (opened.length + failed === userIds.length) resolve();
            });
        }
        if (next < userIds.length) setTimeout(startDue, 1);
      };
      if (userIds.length === 0) resolve();
      else startDue();
    });
    return { opened, failed, handshakes, firstError };
  }

  closeAll(): void {
    for (const session of this.sessions) session.terminate();
    this.sessions.length = 0;
    this.sessionsByUser.clear();
  }
}

/** `prefix-0` … `prefix-(count-1)`. */
export function userIdRange(prefix: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${from + index}`);
}

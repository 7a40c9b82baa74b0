import { OutboxStore } from '../persistence/outbox.store';
import { UnitOfWork } from '../persistence/unit-of-work';

/** A channel's latest tries this many, all failed: the channel is reported failing. */
export const FAILING_AFTER_ATTEMPTS = 5;

/** How a channel beyond the socket is doing, from its latest tries. */
export interface ChannelHealthReport {
  channel: string;
  /** `failing` when its latest tries all failed; `ok` otherwise (also before any try). */
  status: 'ok' | 'failing';
  /** Of its latest tries (at most FAILING_AFTER_ATTEMPTS), how many failed. */
  failedOfLatest: number;
  lastError?: string;
  lastAttemptAt?: string;
}

/** Something that remembers the latest outcomes of a channel that keeps no attempts table (the webhook). */
export interface RecentOutcomes {
  readonly channel: string;
  latest(): ReadonlyArray<{ ok: boolean; error?: string; at: string }>;
}

/**
 * Reports each configured channel: from its latest attempts in the database (every node's),
 * so a push service or SMTP server that refuses everything shows on any node's health.
 */
export class ChannelHealth {
  private readonly outbox = new OutboxStore();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly channels: readonly string[],
    private readonly others: readonly RecentOutcomes[] = [],
  ) {}

  get isEmpty(): boolean {
    return this.channels.length === 0 && this.others.length === 0;
  }

  async check(): Promise<ChannelHealthReport[]> {
    const stored = await this.unitOfWork.read(async (manager) => {
      const latest = [];
      for (const channel of this.channels) latest.push(await this.outbox.latestOutcomes(manager, channel, FAILING_AFTER_ATTEMPTS));
      return latest;
    });
    const reports = this.channels.map((channel, index) =>
      report(
        channel,
        stored[index].map((attempt) => ({ ok: attempt.outcome !== 'failed', error: attempt.error ?? undefined, at: attempt.at })),
      ),
    );
    return [...reports, ...this.others.map((other) => report(other.channel, other.latest()))];
  }
}

/** `latest` newest first. */
function report(channel: string, latest: ReadonlyArray<{ ok: boolean; error?: string; at: string }>): ChannelHealthReport {
  const failed = latest.filter((attempt) => !attempt.ok).length;
  const result: ChannelHealthReport = {
    channel,
    status: latest.length >= FAILING_AFTER_ATTEMPTS && failed === latest.length ? 'failing' : 'ok',
    failedOfLatest: failed,
  };
  if (latest.length > 0) result.lastAttemptAt = latest[0].at;
  const lastError = latest.find((attempt) => !attempt.ok)?.error;
  if (lastError) result.lastError = lastError;
  return result;
}

/**
 * Scenario 3, fan-out: one notification to many online users at once, timed from the POST to
 * the last session that reads it. The contract caps `userIds` at 1,000 per request, so N users
 * take ceil(N / 1000) POSTs sent together. Variants: `broadcast: true` and a `topic` to a wider
 * audience, skipped as n/a where the target refuses them.
 */
import { HttpSender } from '../http-sender';
import { CpuWindow } from '../proc';
import { ReceivedNotification, Session } from '../protocols';
import { count, Metric, Scenario, ScenarioContext, Sizes, sleep, waitUntil } from '../scenario';
import { SessionPool, userIdRange } from '../session-pool';
import { preparerFor } from './p2p';

/** The contract caps `userIds` at 1,000 per POST. */
export const MAX_USER_IDS_PER_POST = 1000;
const DELIVERY_TIMEOUT_MS = 60_000;
const SETTLE_MS = 300;
/**
 * A fan-out is one burst of well under a second for a fast server, so one unlucky moment on a
 * shared machine can double it: each is measured this many times and the median run is kept.
 */
const REPETITIONS = 7;
const TOPIC = 'bench.fanout';

/** Who has received the notification with one key, by user. */
export class Audience {
  private readonly received: Uint8Array;
  delivered = 0;
  duplicates = 0;
  lastDeliveryAt = 0;

  constructor(
    readonly key: number,
    private readonly indexByUser: Map<string, number>,
  ) {
    this.received = new Uint8Array(indexByUser.size);
  }

  onNotification(session: Session, notification: ReceivedNotification, receivedAt: number): void {
    if (notification.data?.k !== this.key) return;
    const index = this.indexByUser.get(session.userId);
    if (index === undefined) return;
    if (this.received[index]++ === 0) {
      this.delivered++;
      this.lastDeliveryAt = receivedAt;
    } else {
      this.duplicates++;
    }
  }
}

export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function labels(sizes: Sizes) {
  const users = `fan-out ${count(sizes.fanoutUsers)} users`;
  const wide = `${count(sizes.wideSessions)} sessions`;
  return {
    time: `${users}: time to last delivery (ms)`,
    throughput: `${users}: deliveries/s`,
    cpu: `${users}: server CPU per delivery (µs)`,
    lost: `${users}: lost / duplicate`,
    broadcastTime: `broadcast → ${wide}: time to last delivery (ms)`,
    broadcastThroughput: `broadcast → ${wide}: deliveries/s`,
    topicTime: `topic → ${wide}: time to last delivery (ms)`,
    topicThroughput: `topic → ${wide}: deliveries/s`,
  };
}

interface Measurement {
  timeMs: number;
  delivered: number;
  duplicates: number;
  cpuMs: number;
}

export const fanoutScenario: Scenario = {
  name: 'fanout',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run({ target, tokens, sizes, log }: ScenarioContext): Promise<Metric[]> {
    const label = labels(sizes);
    const sender = new HttpSender(target.port, tokens.forSender());
    let audience: Audience | undefined;
    const pool = new SessionPool({
      protocol: target.protocol,
      port: target.port,
      tokens,
      onNotification: (session, notification, at) => audience?.onNotification(session, notification, at),
      connectsPerSecond: 2000,
      maxInFlight: 256,
      prepare: preparerFor(target, tokens),
    });
    let nextKey = 1;

    /** Sends with `send`, waits for every user in `userIds` to have it, and reads the server CPU. */
    const measure = async (userIds: string[], send: (key: number) => Promise<void>): Promise<Measurement> => {
      const indexByUser = new Map(userIds.map((userId, index) => [userId, index]));
      const current = (audience = new Audience(nextKey++, indexByUser));
      const cpu = new CpuWindow(target.pid);
      const startedAt = performance.now();
      await send(current.key);
      const complete = await waitUntil(() => current.delivered === userIds.length, DELIVERY_TIMEOUT_MS);
      if (!complete) log(`only ${current.delivered} of ${userIds.length} received the fan-out`);
      await sleep(SETTLE_MS);
      audience = undefined;
      return {
        timeMs: current.delivered ? current.lastDeliveryAt - startedAt : Number.NaN,
        delivered: current.delivered,
        duplicates: current.duplicates,
        cpuMs: cpu.usedMs(),
      };
    };

    /** The run with the median time of REPETITIONS, each a fresh notification to the same audience. */
    const measureMedian = async (userIds: string[], send: (key: number) => Promise<void>): Promise<Measurement> => {
      const runs: Measurement[] = [];
      for (let run = 0; run < REPETITIONS; run++) runs.push(await measure(userIds, send));
      runs.sort((a, b) => (a.timeMs || Infinity) - (b.timeMs || Infinity));
      return runs[Math.floor(REPETITIONS / 2)];
    };

    const post = async (body: Record<string, unknown>) => {
      const response = await sender.post('/notifications', JSON.stringify(body));
      if (response.status !== 201) throw new Error(`POST /notifications: HTTP ${response.status} ${response.body}`);
    };
    const postToUsers = (userIds: string[]) => (key: number) =>
      Promise.all(
        chunks(userIds, MAX_USER_IDS_PER_POST).map((chunk) =>
          post({ userIds: chunk, type: 'bench.fanout', title: 'fan-out', data: { k: key } }),
        ),
      ).then(() => undefined);

    try {
      // Probed before anyone is online, so a probe that succeeds reaches no session.
      const probe = { type: 'bench.probe', title: 'probe' };
      const supportsBroadcast = (await sender.post('/notifications', JSON.stringify({ ...probe, broadcast: true }))).status === 201;
      const supportsTopics = (await sender.put(`/topics/${TOPIC}/subscribers/bench-probe`)).status < 300;

      const opened = await pool.open(userIdRange('f', sizes.fanoutUsers));
      if (opened.failed) log(`${opened.failed} sessions failed to open, first: ${opened.firstError}`);
      const userIds = opened.opened.map((session) => session.userId);
      // Warm-up on a tenth of the audience, so the measured run does not pay for first use.
      const warmupUserIds = userIds.slice(0, Math.ceil(userIds.length / 10));
      await measure(warmupUserIds, postToUsers(warmupUserIds));

      const fanout = await measureMedian(userIds, postToUsers(userIds));
      const metrics: Metric[] = [
        { label: label.time, value: fanout.timeMs, decimals: 0 },
        { label: label.throughput, value: fanout.delivered / (fanout.timeMs / 1000), decimals: 0 },
        { label: label.cpu, value: (fanout.cpuMs * 1000) / fanout.delivered, decimals: 1 },
        { label: label.lost, value: `${sizes.fanoutUsers - fanout.delivered} / ${fanout.duplicates}` },
      ];

      if (!supportsBroadcast && !supportsTopics) {
        return [
          ...metrics,
          { label: label.broadcastTime, value: 'n/a (no broadcast)' },
          { label: label.broadcastThroughput, value: 'n/a (no broadcast)' },
          { label: label.topicTime, value: 'n/a (no topics)' },
          { label: label.topicThroughput, value: 'n/a (no topics)' },
        ];
      }
      const more = await pool.open(userIdRange('f', sizes.wideSessions - sizes.fanoutUsers, sizes.fanoutUsers));
      if (more.failed) log(`${more.failed} more sessions failed to open, first: ${more.firstError}`);
      const wideUserIds = pool.sessions.map((session) => session.userId);

      if (supportsBroadcast) {
        const broadcast = await measureMedian(wideUserIds, (key) =>
          post({ broadcast: true, type: 'bench.broadcast', title: 'broadcast', data: { k: key } }),
        );
        metrics.push(
          { label: label.broadcastTime, value: broadcast.timeMs, decimals: 0 },
          { label: label.broadcastThroughput, value: broadcast.delivered / (broadcast.timeMs / 1000), decimals: 0 },
        );
      } else {
        metrics.push(
          { label: label.broadcastTime, value: 'n/a (no broadcast)' },
          { label: label.broadcastThroughput, value: 'n/a (no broadcast)' },
        );
      }

      if (supportsTopics) {
        const subscriptions = await Promise.all(
          wideUserIds.map((userId) => sender.put(`/topics/${TOPIC}/subscribers/${encodeURIComponent(userId)}`)),
        );
        const refused = subscriptions.filter((response) => response.status >= 300).length;
        if (refused) log(`${refused} topic subscriptions refused`);
        const topic = await measureMedian(wideUserIds, (key) =>
          post({ topic: TOPIC, type: 'bench.topic', title: 'topic', data: { k: key } }),
        );
        metrics.push(
          { label: label.topicTime, value: topic.timeMs, decimals: 0 },
          { label: label.topicThroughput, value: topic.delivered / (topic.timeMs / 1000), decimals: 0 },
        );
      } else {
        metrics.push({ label: label.topicTime, value: 'n/a (no topics)' }, { label: label.topicThroughput, value: 'n/a (no topics)' });
      }
      return metrics;
    } finally {
      audience = undefined;
      sender.close();
      pool.closeAll();
    }
  },
};

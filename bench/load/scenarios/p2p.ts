/**
 * Scenario 2, p2p: users online, POSTs to one random user each, open loop at fixed rates.
 *
 * Each POST has a scheduled send time (start + i / rate) and latency runs from that time to
 * the moment the recipient's session reads the frame. A server that falls behind delays the
 * schedule of nobody: its backlog shows up as latency (no coordinated omission).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HttpSender } from '../http-sender';
import { LatencyRecorder } from '../latency';
import { CpuWindow, NoiseWindow } from '../proc';
import { ProtocolName, ReceivedNotification, Session } from '../protocols';
import { count, Metric, Scenario, ScenarioContext, sleep, waitUntil } from '../scenario';
import { SessionPool, userIdRange } from '../session-pool';
import { CLIENT_CPU, RunningTarget, SERVER_CPU } from '../targets';
import { TokenIssuer } from '../tokens';
import { storePreferencesFor, variant } from '../variant';

/** With --tenancy-preferences, the project's users get preferences stored before they connect. */
export function preparerFor(target: RunningTarget, tokens: TokenIssuer): ((userIds: string[]) => Promise<void>) | undefined {
  if (!variant.preferences || !target.name.startsWith('project')) return undefined;
  return (userIds) => storePreferencesFor(target.port, tokens.forAdmin(), userIds);
}

/** After the last delivery, time for the acks still in flight to be processed (counted as CPU). */
const SETTLE_MS = 300;

/** The sends of one rate, and what came back (also used by the multi-node scenario). */
export class Phase {
  readonly total: number;
  readonly scheduledAt: Float64Array;
  readonly recipient: Uint32Array;
  private readonly deliveries: Uint8Array;
  readonly latency = new LatencyRecorder();
  /** When each notification was first read (performance.now()), 0 for none: for the timeline. */
  readonly receivedAt: Float64Array;
  delivered = 0;
  duplicates = 0;
  misrouted = 0;
  responses = 0;
  postErrors = 0;
  /** POSTs the server answered with something other than 201 (a subset of postErrors). */
  refusals = 0;
  firstPostError?: string;
  startAt = 0;
  lastDeliveryAt = 0;

  constructor(
    readonly keyBase: number,
    readonly rate: number,
    durationMs: number,
    private readonly userIds: string[],
  ) {
    this.total = Math.round((rate * durationMs) / 1000);
    this.scheduledAt = new Float64Array(this.total);
    this.recipient = new Uint32Array(this.total);
    this.deliveries = new Uint8Array(this.total);
    this.receivedAt = new Float64Array(this.total);
  }

  onNotification(session: Session, notification: ReceivedNotification, receivedAt: number): void {
    const index = (notification.data?.k ?? -1) - this.keyBase;
    if (index < 0 || index >= this.total) return;
    if (session.userId !== this.userIds[this.recipient[index]]) {
      this.misrouted++;
    } else if (this.deliveries[index]++ === 0) {
      this.delivered++;
      this.latency.recordMs(receivedAt - this.scheduledAt[index]);
      this.receivedAt[index] = receivedAt;
      this.lastDeliveryAt = receivedAt;
    } else {
      this.duplicates++;
    }
  }

  get settled(): boolean {
    return this.responses === this.total && this.delivered >= this.total - this.postErrors;
  }

  /**
   * With BENCH_TIMELINE_DIR set, writes `<dir>/<name>.txt`: a line per send, when it was due
   * (ms after the phase's start) and its latency (ms; `lost` if never read), after a header
   * with the start's wall-clock time, to line up with what else was sampled meanwhile (a
   * p99 made by one stall of everything shows as one cluster, a slow path as a spread).
   */
  saveTimeline(name: string): void {
    const dir = process.env.BENCH_TIMELINE_DIR;
    if (!dir) return;
    const startedAtEpochMs = Date.now() - (performance.now() - this.startAt);
    const lines = [
      `# ${name}: ${this.total} sends at ${this.rate}/s from ${new Date(startedAtEpochMs).toISOString()} (${Math.round(startedAtEpochMs)} ms since the epoch); due_ms latency_ms`,
    ];
    for (let index = 0; index < this.total; index++) {
      const dueMs = (this.scheduledAt[index] - this.startAt).toFixed(1);
      const read = this.receivedAt[index];
      lines.push(`${dueMs} ${read ? (read - this.scheduledAt[index]).toFixed(2) : 'lost'}`);
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.txt`), lines.join('\n') + '\n');
  }
}

/**
 * The sessions of a p2p run: opened at 2,000/s with at most 256 handshakes in flight, each
 * notification handed to whichever phase is being measured (`phase()`; none between phases).
 */
export function phaseSessionPool(
  protocol: ProtocolName,
  port: number,
  tokens: TokenIssuer,
  phase: () => Pick<Phase, 'onNotification'> | undefined,
  prepare?: (userIds: string[]) => Promise<void>,
) {
  return new SessionPool({
    prepare,
    protocol,
    port,
    tokens,
    onNotification: (session, notification, at) => phase()?.onNotification(session, notification, at),
    connectsPerSecond: 2000,
    maxInFlight: 256,
  });
}

export async function runPhase(
  phase: Phase,
  sender: Pick<HttpSender, 'post' | 'abortPending'>,
  userIds: string[],
  durationMs: number,
  drainMs: number,
) {
  const intervalMs = 1000 / phase.rate;
  phase.startAt = performance.now() + 5;
  let issued = 0;
  const send = (index: number) => {
    const user = Math.floor(Math.random() * userIds.length);
    phase.recipient[index] = user;
    phase.scheduledAt[index] = phase.startAt + index * intervalMs;
    const key = phase.keyBase + index;
    const body = `{"userIds":["${userIds[user]}"],"type":"bench.p2p","title":"p2p","data":{"k":${key}}}`;
    sender.post('/notifications', body).then(
      (response) => {
        phase.responses++;
        if (response.status !== 201) {
          phase.postErrors++;
          phase.refusals++;
          phase.firstPostError ??= `HTTP ${response.status} ${response.body.slice(0, 200)}`;
        }
      },
      (error: Error) => {
        phase.responses++;
        phase.postErrors++;
        phase.firstPostError ??= error.message;
      },
    );
  };
  // A 1 ms timer issues whatever is due; the schedule, not the timer, sets each send's time.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(phase.total, Math.floor((performance.now() - phase.startAt) / intervalMs) + 1);
      while (issued < due) send(issued++);
      if (issued < phase.total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const drained = await waitUntil(() => phase.settled, phase.startAt + durationMs + drainMs - performance.now());
  if (!drained) sender.abortPending();
  return drained;
}

function rateLabels(rate: number) {
  const prefix = `p2p ${count(rate)}/s`;
  return {
    throughput: `${prefix}: delivered/s`,
    p50: `${prefix}: e2e p50 (ms)`,
    p99: `${prefix}: e2e p99 (ms)`,
    lost: `${prefix}: lost / duplicate`,
    cpu: `${prefix}: server CPU per delivery (µs)`,
    sanity: `${prefix}: client CPU % | others on CPU ${SERVER_CPU} % | on CPU ${CLIENT_CPU} %`,
  };
}

const USERS_LABEL = 'p2p: users online';

/**
 * A rate is measured again, once, when the server fell behind while other processes took more
 * than this share of its CPU: then the shortfall says more about the neighbours than the server.
 * The attempt with less interference is kept, and its interference is printed either way.
 */
const INTERFERENCE_RETRY_PERCENT = 20;

interface RateResult {
  metrics: Metric[];
  fellBehind: boolean;
  interferencePercent: number;
}

export const p2pScenario: Scenario = {
  name: 'p2p',
  needsTarget: true,
  labels: (sizes) => [USERS_LABEL, ...sizes.p2pRates.flatMap((rate) => Object.values(rateLabels(rate)))],

  async run({ target, tokens, sizes, log }: ScenarioContext): Promise<Metric[]> {
    let current: Phase | undefined;
    let keyBase = 0;
    const pool = phaseSessionPool(target.protocol, target.port, tokens, () => current, preparerFor(target, tokens));
    const sender = new HttpSender(target.port, tokens.forSender());

    const measureRate = async (rate: number, userIds: string[]): Promise<RateResult> => {
      const phase = (current = new Phase(keyBase, rate, sizes.p2pPhaseMs, userIds));
      keyBase += phase.total;
      const serverCpu = new CpuWindow(target.pid);
      const clientCpu = new CpuWindow('self');
      const serverCoreNoise = new NoiseWindow(SERVER_CPU, target.pid);
      const clientCoreNoise = new NoiseWindow(CLIENT_CPU, 'self');
      const drained = await runPhase(phase, sender, userIds, sizes.p2pPhaseMs, sizes.drainMs);
      phase.saveTimeline(`p2p-${target.name}-${rate}`);
      await sleep(SETTLE_MS);
      current = undefined;
      const serverCpuMs = serverCpu.usedMs();
      const interferencePercent = serverCoreNoise.othersPercent();
      const label = rateLabels(rate);
      const activeSeconds = (phase.lastDeliveryAt - phase.startAt) / 1000;
      const deliveredPerSecond = phase.delivered ? phase.delivered / activeSeconds : 0;
      log(
        `${rate}/s: ${phase.delivered}/${phase.total} delivered, ` +
          `p99 ${phase.latency.percentileMs(99).toFixed(1)} ms, ` +
          `others on CPU ${SERVER_CPU} ${interferencePercent.toFixed(0)} %${drained ? '' : ', not drained in time'}` +
          `${phase.postErrors ? `, ${phase.postErrors} POST errors, first: ${phase.firstPostError}` : ''}`,
      );
      return {
        // Refusals (4xx/5xx) are the server's answer, not interference: no second attempt for them.
        fellBehind: (deliveredPerSecond < 0.95 * rate || phase.delivered < phase.total) && !phase.refusals,
        interferencePercent,
        metrics: [
          { label: label.throughput, value: deliveredPerSecond, decimals: 0 },
          { label: label.p50, value: phase.latency.percentileMs(50), decimals: 2 },
          { label: label.p99, value: phase.latency.percentileMs(99), decimals: 2 },
          { label: label.lost, value: `${phase.total - phase.delivered} / ${phase.duplicates + phase.misrouted}` },
          { label: label.cpu, value: phase.delivered ? (1000 * serverCpuMs) / phase.delivered : Number.NaN },
          {
            label: label.sanity,
            value: [clientCpu.percentOfCore(), interferencePercent, clientCoreNoise.othersPercent()]
              .map((percent) => percent.toFixed(0))
              .join(' | '),
          },
        ],
      };
    };

    const metrics: Metric[] = [];
    try {
      const opened = await pool.open(userIdRange('p', sizes.p2pUsers));
      if (opened.failed) log(`${opened.failed} sessions failed to open, first: ${opened.firstError}`);
      const userIds = opened.opened.map((session) => session.userId);
      metrics.push({ label: USERS_LABEL, value: userIds.length });
      if (userIds.length === 0) throw new Error('no session could be opened');

      // Warm-up at a low rate: JIT, statement caches and connection pools, not measured.
      current = new Phase(keyBase, 200, sizes.p2pWarmupMs, userIds);
      keyBase += current.total;
      await runPhase(current, sender, userIds, sizes.p2pWarmupMs, sizes.drainMs);
      current = undefined;
      await sleep(500);

      for (const rate of sizes.p2pRates) {
        let result = await measureRate(rate, userIds);
        if (result.fellBehind && result.interferencePercent > INTERFERENCE_RETRY_PERCENT) {
          log(`${rate}/s: fell behind under interference, measuring once more`);
          await sleep(1000);
          const again = await measureRate(rate, userIds);
          if (again.interferencePercent < result.interferencePercent) result = again;
        }
        metrics.push(...result.metrics);
        await sleep(1000);
      }
    } finally {
      current = undefined;
      sender.close();
      pool.closeAll();
    }
    return metrics;
  },
};

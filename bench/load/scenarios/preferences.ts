/**
 * Scenario 8, preferences: the fan-out of scenario 3 (N online users, ceil(N / 1000) POSTs sent
 * together) measured twice on one server: first with no preferences stored, then after every
 * user has stored preferences, half of them turning the notification's type off in-app (so the
 * send skips them inside its transaction) and the other half muting another type. The project
 * only: the floor and the peer have no preferences. Each is the median of REPETITIONS runs.
 */
import { HttpSender } from '../http-sender';
import { CpuWindow } from '../proc';
import { count, Metric, Scenario, ScenarioContext, Sizes, sleep, waitUntil } from '../scenario';
import { SessionPool, userIdRange } from '../session-pool';
import { Audience, chunks, MAX_USER_IDS_PER_POST } from './fanout';

const DELIVERY_TIMEOUT_MS = 60_000;
const SETTLE_MS = 300;
const REPETITIONS = 7;
const TYPE = 'bench.prefs';

function labels(sizes: Sizes) {
  const users = `preferences: fan-out ${count(sizes.fanoutUsers)} users`;
  return {
    plainTime: `${users}, none stored: time to last delivery (ms)`,
    plainPosts: `${users}, none stored: POSTs answered (ms)`,
    plainCpu: `${users}, none stored: server CPU per recipient (µs)`,
    halfTime: `${users}, all stored, half off: time to last delivery (ms)`,
    halfPosts: `${users}, all stored, half off: POSTs answered (ms)`,
    halfCpu: `${users}, all stored, half off: server CPU per recipient (µs)`,
    halfDelivered: `${users}, all stored, half off: delivered / to the muted half`,
  };
}

interface Measurement {
  timeMs: number;
  postsMs: number;
  cpuMs: number;
  delivered: number;
  strays: number;
}

/** Stores preferences for every user through the admin route, 32 at a time. */
async function storePreferences(context: ScenarioContext, port: number, userIds: string[]): Promise<void> {
  const admin = context.tokens.forAdmin();
  const queue = userIds.map((userId, index) => ({ userId, muted: index % 2 === 0 ? TYPE : 'bench.other' }));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const response = await fetch(`http://127.0.0.1:${port}/users/${encodeURIComponent(next.userId)}/preferences`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ types: { [next.muted]: { inApp: false } } }),
      });
      if (response.status !== 200) throw new Error(`PUT preferences: HTTP ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

export const preferencesScenario: Scenario = {
  name: 'preferences',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run(context: ScenarioContext): Promise<Metric[]> {
    const { target, tokens, sizes, log } = context;
    const label = labels(sizes);
    if (!target.name.startsWith('project')) return Object.values(label).map((row) => ({ label: row, value: 'n/a (no preferences)' }));
    const sender = new HttpSender(target.port, tokens.forSender());
    let audience: Audience | undefined;
    let strays = 0;
    let reachable = new Set<string>();
    const pool = new SessionPool({
      protocol: target.protocol,
      port: target.port,
      tokens,
      onNotification: (session, notification, at) => {
        if (audience && notification.data?.k === audience.key && !reachable.has(session.userId)) strays++;
        audience?.onNotification(session, notification, at);
      },
      connectsPerSecond: 2000,
      maxInFlight: 256,
    });
    let nextKey = 1;

    /** One fan-out to every user; done when each of `expected` has it. */
    const measure = async (userIds: string[], expected: string[]): Promise<Measurement> => {
      reachable = new Set(expected);
      strays = 0;
      const current = (audience = new Audience(nextKey++, new Map(expected.map((userId, index) => [userId, index]))));
      const cpu = new CpuWindow(target.pid);
      const startedAt = performance.now();
      await Promise.all(
        chunks(userIds, MAX_USER_IDS_PER_POST).map(async (chunk) => {
          const body = { userIds: chunk, type: TYPE, title: 'preferences', data: { k: current.key } };
          const response = await sender.post('/notifications', JSON.stringify(body));
          if (response.status !== 201) throw new Error(`POST /notifications: HTTP ${response.status} ${response.body}`);
        }),
      );
      const postsMs = performance.now() - startedAt;
      if (!(await waitUntil(() => current.delivered === expected.length, DELIVERY_TIMEOUT_MS))) {
        log(`only ${current.delivered} of ${expected.length} received the fan-out`);
      }
      await sleep(SETTLE_MS);
      audience = undefined;
      return { timeMs: current.lastDeliveryAt - startedAt, postsMs, cpuMs: cpu.usedMs(), delivered: current.delivered, strays };
    };
    const median = async (userIds: string[], expected: string[]): Promise<Measurement> => {
      const runs: Measurement[] = [];
      for (let run = 0; run < REPETITIONS; run++) runs.push(await measure(userIds, expected));
      runs.sort((a, b) => (a.timeMs || Infinity) - (b.timeMs || Infinity));
      return runs[Math.floor(REPETITIONS / 2)];
    };

    try {
      const opened = await pool.open(userIdRange('p', sizes.fanoutUsers));
      if (opened.failed) log(`${opened.failed} sessions failed to open, first: ${opened.firstError}`);
      const userIds = opened.opened.map((session) => session.userId);
      const warmup = userIds.slice(0, Math.ceil(userIds.length / 10));
      await measure(warmup, warmup);
      const plain = await median(userIds, userIds);

      await storePreferences(context, target.port, userIds);
      const allowed = userIds.filter((_, index) => index % 2 === 1);
      const half = await median(userIds, allowed);
      const perRecipient = (each: Measurement) => (each.cpuMs * 1000) / userIds.length;
      return [
        { label: label.plainTime, value: plain.timeMs, decimals: 0 },
        { label: label.plainPosts, value: plain.postsMs, decimals: 0 },
        { label: label.plainCpu, value: perRecipient(plain), decimals: 1 },
        { label: label.halfTime, value: half.timeMs, decimals: 0 },
        { label: label.halfPosts, value: half.postsMs, decimals: 0 },
        { label: label.halfCpu, value: perRecipient(half), decimals: 1 },
        { label: label.halfDelivered, value: `${half.delivered} / ${half.strays}` },
      ];
    } finally {
      audience = undefined;
      sender.close();
      pool.closeAll();
    }
  },
};

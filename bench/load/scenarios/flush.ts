/**
 * Scenario 4, offline flush: notifications queued for one offline user, who then connects.
 * Timed from the connection's start to the last of them read; checked for order and duplicates.
 */
import { HttpSender } from '../http-sender';
import { CpuWindow } from '../proc';
import { count, Metric, Scenario, ScenarioContext, Sizes, sleep, waitUntil } from '../scenario';
import { SessionPool } from '../session-pool';

const USER_ID = 'offline-0';
const FLUSH_TIMEOUT_MS = 60_000;
const SETTLE_MS = 300;

function labels(sizes: Sizes) {
  const prefix = `flush ${count(sizes.flushCount)} queued`;
  return {
    enqueue: `${prefix}: queueing by serial POSTs (ms)`,
    time: `${prefix}: connect → all received (ms)`,
    received: `${prefix}: received`,
    order: `${prefix}: in order, no duplicates`,
    cpu: `${prefix}: server CPU per notification (µs)`,
  };
}

export const flushScenario: Scenario = {
  name: 'flush',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run({ target, tokens, sizes }: ScenarioContext): Promise<Metric[]> {
    const label = labels(sizes);
    const total = sizes.flushCount;
    const sender = new HttpSender(target.port, tokens.forSender(), 1);
    const enqueueStartedAt = performance.now();
    try {
      for (let key = 0; key < total; key++) {
        const body = `{"userIds":["${USER_ID}"],"type":"bench.flush","title":"flush","data":{"k":${key}}}`;
        const response = await sender.post('/notifications', body);
        if (response.status !== 201) throw new Error(`POST /notifications: HTTP ${response.status} ${response.body}`);
      }
    } finally {
      sender.close();
    }
    const enqueueMs = performance.now() - enqueueStartedAt;
    await sleep(500);

    const seen = new Uint8Array(total);
    let received = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let lastKey = -1;
    let lastReceivedAt = 0;
    const pool = new SessionPool({
      protocol: target.protocol,
      port: target.port,
      tokens,
      connectsPerSecond: 1,
      maxInFlight: 1,
      onNotification: (_session, notification, receivedAt) => {
        const key = notification.data?.k;
        if (key === undefined || key < 0 || key >= total) return;
        if (seen[key]++) {
          duplicates++;
          return;
        }
        if (key < lastKey) outOfOrder++;
        lastKey = key;
        received++;
        lastReceivedAt = receivedAt;
      },
    });
    const cpu = new CpuWindow(target.pid);
    const connectStartedAt = performance.now();
    try {
      const opened = await pool.open([USER_ID]);
      if (opened.failed) throw new Error(`the offline user could not connect: ${opened.firstError}`);
      await waitUntil(() => received === total, FLUSH_TIMEOUT_MS);
      await sleep(SETTLE_MS);
    } finally {
      pool.closeAll();
    }
    const inOrder = outOfOrder === 0 && duplicates === 0;
    return [
      { label: label.enqueue, value: enqueueMs, decimals: 0 },
      { label: label.time, value: received ? lastReceivedAt - connectStartedAt : Number.NaN, decimals: 0 },
      { label: label.received, value: received },
      { label: label.order, value: inOrder ? 'yes' : `no (${outOfOrder} out of order, ${duplicates} dup)` },
      { label: label.cpu, value: received ? (cpu.usedMs() * 1000) / received : Number.NaN, decimals: 0 },
    ];
  },
};

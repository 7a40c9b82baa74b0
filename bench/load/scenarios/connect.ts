/**
 * Scenario 1, connect: N authenticated sessions opened on a schedule. Handshake latency is
 * timed from each connection's scheduled start to its `ready` frame (TCP, upgrade, token check,
 * unread count); server CPU and RSS are read from /proc around the opening.
 */
import { CpuWindow, rssBytes } from '../proc';
import { count, Metric, Scenario, ScenarioContext, Sizes, sleep } from '../scenario';
import { SessionPool, userIdRange } from '../session-pool';

const WARMUP_SESSIONS = 100;

function labels(sizes: Sizes) {
  const prefix = `connect ${count(sizes.connections)} @ ${count(sizes.connectsPerSecond)}/s`;
  return {
    p50: `${prefix}: handshake p50 (ms)`,
    p99: `${prefix}: handshake p99 (ms)`,
    cpu: `${prefix}: server CPU per connection (ms)`,
    rss: `${prefix}: server RSS per idle connection (KB)`,
    failed: `${prefix}: failed handshakes`,
  };
}

export const connectScenario: Scenario = {
  name: 'connect',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run({ target, tokens, sizes, log }: ScenarioContext): Promise<Metric[]> {
    const label = labels(sizes);
    const poolOptions = {
      protocol: target.protocol,
      port: target.port,
      tokens,
      onNotification: () => undefined,
      connectsPerSecond: sizes.connectsPerSecond,
      maxInFlight: 256,
    };
    // Warm-up: the first sessions pay for JIT compilation and lazy initialisation.
    const warmup = new SessionPool(poolOptions);
    await warmup.open(userIdRange('warm', WARMUP_SESSIONS));
    warmup.closeAll();
    await sleep(1000);

    const rssBefore = rssBytes(target.pid);
    const cpu = new CpuWindow(target.pid);
    const pool = new SessionPool(poolOptions);
    const result = await pool.open(userIdRange('c', sizes.connections));
    const cpuMs = cpu.usedMs();
    // Let buffers of the handshakes be released before reading the memory that stays per session.
    await sleep(1000);
    const rssAfter = rssBytes(target.pid);
    pool.closeAll();
    if (result.failed) log(`${result.failed} handshakes failed, first: ${result.firstError}`);

    const opened = result.opened.length;
    return [
      { label: label.p50, value: result.handshakes.percentileMs(50), decimals: 2 },
      { label: label.p99, value: result.handshakes.percentileMs(99), decimals: 2 },
      { label: label.cpu, value: opened ? cpuMs / opened : Number.NaN, decimals: 3 },
      { label: label.rss, value: opened ? (rssAfter - rssBefore) / opened / 1024 : Number.NaN, decimals: 1 },
      { label: label.failed, value: result.failed },
    ];
  },
};

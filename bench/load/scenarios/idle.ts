/**
 * Scenario 5, idle capacity: many authenticated sessions that do nothing. What they cost the
 * server at rest: resident memory, and CPU over a quiet window (heartbeats, timers). A server
 * that pings every session in one sweep every 30 s (the contract's default) spends its idle CPU
 * in bursts, so a 10 s window may or may not hold one; the second, longer window always does.
 */
import { CpuWindow, rssBytes } from '../proc';
import { count, Metric, Scenario, ScenarioContext, Sizes, sleep } from '../scenario';
import { SessionPool, userIdRange } from '../session-pool';

const SETTLE_MS = 3000;

function labels(sizes: Sizes) {
  const prefix = `idle ${count(sizes.idleConnections)}`;
  return {
    connected: `${prefix}: sessions open`,
    rss: `${prefix}: server RSS (MB)`,
    perSession: `${prefix}: server RSS per session (KB)`,
    cpu: `${prefix}: server CPU over ${sizes.idleWindowMs / 1000} s idle (ms)`,
    heartbeatCpu: `${prefix}: server CPU over ${sizes.heartbeatWindowMs / 1000} s idle (ms)`,
  };
}

export const idleScenario: Scenario = {
  name: 'idle',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run({ target, tokens, sizes, log }: ScenarioContext): Promise<Metric[]> {
    const label = labels(sizes);
    const pool = new SessionPool({
      protocol: target.protocol,
      port: target.port,
      tokens,
      onNotification: () => undefined,
      connectsPerSecond: 2000,
      maxInFlight: 512,
    });
    try {
      const rssBefore = rssBytes(target.pid);
      const result = await pool.open(userIdRange('i', sizes.idleConnections));
      if (result.failed) log(`${result.failed} sessions failed to open, first: ${result.firstError}`);
      await sleep(SETTLE_MS);
      const rssAfter = rssBytes(target.pid);
      const cpu = new CpuWindow(target.pid);
      await sleep(sizes.idleWindowMs);
      const idleCpuMs = cpu.usedMs();
      await sleep(Math.max(0, sizes.heartbeatWindowMs - sizes.idleWindowMs));
      const heartbeatCpuMs = cpu.usedMs();
      const opened = result.opened.length;
      const open = pool.sessions.filter((session) => session.isOpen).length;
      if (open < result.opened.length) log(`${result.opened.length - open} sessions closed while idle`);
      return [
        { label: label.connected, value: open },
        { label: label.rss, value: rssAfter / 1024 / 1024, decimals: 0 },
        { label: label.perSession, value: opened ? (rssAfter - rssBefore) / opened / 1024 : Number.NaN, decimals: 1 },
        { label: label.cpu, value: idleCpuMs, decimals: 0 },
        { label: label.heartbeatCpu, value: heartbeatCpuMs, decimals: 0 },
      ];
    } finally {
      pool.closeAll();
    }
  },
};

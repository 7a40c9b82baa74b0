/**
 * Readings of a process from /proc: CPU (user + system, all threads) and resident memory.
 * Linux only, which is where the benchmark runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time the process has used so far, in milliseconds (resolution: one clock tick, 10 ms). */
export function cpuMs(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces, so count fields from its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number | 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Measures CPU used by a process between two moments, and the wall time between them. */
export class CpuWindow {
  private readonly startCpuMs: number;
  private readonly startWallMs = performance.now();

  constructor(private readonly pid: number | 'self') {
    this.startCpuMs = cpuMs(pid);
  }

  /** CPU milliseconds used since the window opened. */
  usedMs(): number {
    return cpuMs(this.pid) - this.startCpuMs;
  }

  /** CPU used as a percentage of one core over the wall time since the window opened. */
  percentOfCore(): number {
    return (100 * this.usedMs()) / (performance.now() - this.startWallMs);
  }
}

/** Time a CPU core spent busy (anyone's user, system, interrupt or stolen time), in milliseconds. */
export function coreBusyMs(core: number): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((row) => row.startsWith(`cpu${core} `));
  if (!line) throw new Error(`no cpu${core} in /proc/stat`);
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * How much of a core other processes took while ours ran on it: the core's busy time minus
 * our process's CPU time, as a percentage of the wall time. The machine is shared; this says
 * how far a phase's figures can be trusted.
 */
export class NoiseWindow {
  private readonly startBusyMs: number;
  private readonly startOwnMs: number;
  private readonly startWallMs = performance.now();

  constructor(
    private readonly core: number,
    private readonly pid: number | 'self',
  ) {
    this.startBusyMs = coreBusyMs(core);
    this.startOwnMs = cpuMs(pid);
  }

  othersPercent(): number {
    const others = coreBusyMs(this.core) - this.startBusyMs - (cpuMs(this.pid) - this.startOwnMs);
    return Math.max(0, (100 * others) / (performance.now() - this.startWallMs));
  }
}

// Preload for a server under the bench (BENCH_TARGET_NODE_ARGS="-r ./bench/probes/gc-stalls.js"):
// logs garbage collections over 5 ms and event-loop stalls over 20 ms, with the heap in use,
// to /tmp/gc-stalls-<pid>.log, so a latency tail can be matched to what the process was doing.
const fs = require('node:fs');
const { PerformanceObserver, performance } = require('node:perf_hooks');

const out = fs.openSync(`/tmp/gc-stalls-${process.pid}.log`, 'w');
const GC_KINDS = { 1: 'scavenge', 2: 'minor-mark-sweep', 4: 'mark-compact', 8: 'incremental', 16: 'weak-callbacks' };
const seconds = (ms) => (ms / 1000).toFixed(2);

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.duration <= 5) continue;
    fs.writeSync(
      out,
      `${seconds(entry.startTime)} gc ${GC_KINDS[entry.detail?.kind] ?? entry.detail?.kind} ${entry.duration.toFixed(1)} ms\n`,
    );
  }
}).observe({ entryTypes: ['gc'] });

const TICK_MS = 10;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - TICK_MS;
  if (late > 20) {
    const heapMb = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
    fs.writeSync(out, `${seconds(now)} stall ${late.toFixed(1)} ms, heap ${heapMb} MB\n`);
  }
  last = now;
}, TICK_MS).unref();

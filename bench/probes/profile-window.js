// Preload for a server under bench/fanout-ab.ts (BENCH_TARGET_NODE_ARGS="-r ./bench/probes/profile-window.js",
// BENCH_PROBE_WINDOW=1): a CPU profile of the measured fan-outs only, from SIGUSR2 to SIGUSR1,
// written to /tmp/prof/<pid>.cpuprofile (with PROFILE_HEAP=1, a sampling heap profile of the same
// window, collected objects included, to /tmp/prof/<pid>.heapprofile). Unlike cpu-profile.js it
// leaves out the 5,000 handshakes and the warm-up. `node bench/probes/summarize.js` reads both.
const fs = require('node:fs');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
const heap = process.env.PROFILE_HEAP === '1';
const write = (extension) => (error, result) => {
  if (error) return console.error(`profile-window: ${error.message}`);
  fs.mkdirSync('/tmp/prof', { recursive: true });
  fs.writeFileSync(`/tmp/prof/${process.pid}.${extension}`, JSON.stringify(result.profile));
};

if (!heap) {
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 100 });
}
process.on('SIGUSR2', () => {
  if (heap) {
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  } else session.post('Profiler.start');
});
process.on('SIGUSR1', () => {
  if (heap) session.post('HeapProfiler.stopSampling', write('heapprofile'));
  else session.post('Profiler.stop', write('cpuprofile'));
});

// Preload for a server under the bench (BENCH_TARGET_NODE_ARGS="-r ./bench/probes/cpu-profile.js"):
// a CPU profile of the whole run, written to /tmp/prof/<pid>.cpuprofile when the server is
// stopped (SIGTERM). Unlike --cpu-prof it is written before Nest's shutdown hooks re-raise the
// signal, so it works for the project too. Open it in Chrome DevTools or speedscope.
const fs = require('node:fs');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 200 });
session.post('Profiler.start');

process.prependListener('SIGTERM', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    fs.mkdirSync('/tmp/prof', { recursive: true });
    fs.writeFileSync(`/tmp/prof/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});

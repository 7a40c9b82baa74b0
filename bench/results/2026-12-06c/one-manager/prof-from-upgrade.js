if (!require('node:worker_threads').isMainThread) return;
const fs = require('node:fs');
const http = require('node:http');
const inspector = require('node:inspector');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 100 });
let started = false;
const { WebSocketServer } = require('/work/main/node_modules/ws');
const handleUpgrade = WebSocketServer.prototype.handleUpgrade;
WebSocketServer.prototype.handleUpgrade = function (...args) {
  if (!started) { started = true; session.post('Profiler.start'); setTimeout(stop, Number(process.env.PROF_MS ?? 1800)).unref(); }
  return handleUpgrade.apply(this, args);
};
function stop() {
  if (stop.done) return; stop.done = true; session.post("Profiler.stop", (error, result) => {
    if (error) return;
    fs.mkdirSync('/tmp/prof', { recursive: true });
    fs.writeFileSync(`/tmp/prof/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
}
process.prependListener('SIGTERM', () => { if (started) stop(); });

if (!require('node:worker_threads').isMainThread) return;
const fs = require('node:fs');
const inspector = require('node:inspector');
const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
setTimeout(() => session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: process.env.HW_MAJOR !== "0", includeObjectsCollectedByMinorGC: false }), Number(process.env.HW_START ?? 20000)).unref();
setTimeout(() => session.post('HeapProfiler.stopSampling', (e, r) => { if (!e) fs.writeFileSync(`/tmp/heapwin-${process.pid}.heapprofile`, JSON.stringify(r.profile)); }), Number(process.env.HW_STOP ?? 42000)).unref();

// Preload for a server under the bench (BENCH_TARGET_NODE_ARGS="-r ./bench/probes/heap-profile.js"):
// a sampling heap profile (what allocates, including objects the GC has already collected)
// from 15 s after start, past the connect and warm-up, to SIGTERM, written to
// /tmp/heap-<pid>.heapprofile (open it in Chrome DevTools' Memory tab).
// HEAP_PROFILE_SURVIVORS=1 leaves out what the young generation's scavenges collected: what
// remains was promoted to the old generation (and is live, or left for a mark-compact).
// Read the sizes with care: on Node 20 each string JSON.stringify returns is sampled at about
// 16 KB, whatever its length (a 335-character result: samples of 16,400–16,600 bytes), though it
// takes its own length from the young generation. So a survivors profile puts most of the bytes
// where frames are serialized (LiveDelivery.deliverNotification: 58–66 % on 2026-12-06) when
// what survives there is a few hundred bytes a send (bench/results/2026-12-06c/heap-survivors).
const fs = require('node:fs');
const inspector = require('node:inspector');

const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
const START_AFTER_MS = Number(process.env.HEAP_PROFILE_START_MS ?? 15_000);
setTimeout(() => {
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.HEAP_PROFILE_SURVIVORS !== '1',
  });
}, START_AFTER_MS).unref();

process.prependListener('SIGTERM', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) fs.writeFileSync(`/tmp/heap-${process.pid}.heapprofile`, JSON.stringify(result.profile));
  });
});

const inspector = require('node:inspector');
const s = new inspector.Session(); s.connect();
s.post('HeapProfiler.enable');
s.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
const keep = [];
const obj = { type: 'bench.p2p', title: 'p2p', body: null, data: { k: 12345 }, priority: 'normal', topic: null, createdAt: new Date().toISOString(), expiresAt: null, actions: null, groupKey: null, deliveredAt: null, readAt: null, seenAt: null, archivedAt: null, snoozedUntil: null, actionId: null, actionedAt: null, groupCount: 1, replaces: null };
function make() { return JSON.stringify({ ...obj }); }
for (let i = 0; i < 200000; i++) { const t = make(); if (i % 100 === 0) keep.push(t); }
s.post('HeapProfiler.stopSampling', (e, r) => {
  const sizes = new Map();
  for (const x of r.profile.samples) sizes.set(x.size, (sizes.get(x.size) || 0) + 1);
  console.log('string length', make().length, [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 6));
});

const obj = { type: 'bench.p2p', title: 'p2p', body: null, data: { k: 12345 }, priority: 'normal', topic: null, createdAt: new Date().toISOString(), expiresAt: null, actions: null, groupKey: null, deliveredAt: null, readAt: null, seenAt: null, archivedAt: null, snoozedUntil: null, actionId: null, actionedAt: null, groupCount: 1, replaces: null };
const mode = process.argv[2];
let sink = 0;
const t0 = process.cpuUsage();
for (let i = 0; i < 500000; i++) {
  const s = mode === 'json' ? JSON.stringify({ ...obj }) : mode === 'small' ? JSON.stringify({ count: i, unseen: 3 }) : '{"count":' + i + ',"unseen":3}';
  sink += s.length;
}
const u = process.cpuUsage(t0);
console.log(mode, 'cpu ms', ((u.user + u.system) / 1000).toFixed(0), sink);

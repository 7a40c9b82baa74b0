// For each timeline: clusters of late deliveries (>20 ms) and what PostgreSQL's backends waited on meanwhile.
const fs = require('fs');
const waits = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => { const i = l.indexOf(' '); return { at: Number(l.slice(0, i)), text: l.slice(i + 1) }; });
const wal = (w) => w.text.split(' ;; ').filter((x) => /WALSync|WALWrite/.test(x)).length;
const backends = (w) => w.text.split(' ;; ').length;
for (const file of process.argv.slice(3)) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const start = Number(lines[0].match(/\((\d+) ms since the epoch\)/)[1]);
  const late = lines.slice(1).map((l) => l.split(' ')).filter(([, lat]) => lat === 'lost' || Number(lat) > 20).map(([due, lat]) => ({ at: start + Number(due) + Number(lat), lat: Number(lat) }));
  const clusters = [];
  for (const d of late) { const c = clusters[clusters.length - 1]; if (c && d.at - c.end < 100) { c.end = d.at; c.n++; c.max = Math.max(c.max, d.lat); } else clusters.push({ begin: d.at, end: d.at, n: 1, max: d.lat }); }
  console.log(`${lines[0].slice(2, 60)}…: ${late.length} deliveries over 20 ms`);
  for (const c of clusters.filter((c) => c.n >= 5)) {
    const inWindow = waits.filter((w) => w.at >= c.begin - c.max && w.at <= c.end);
    const most = inWindow.reduce((m, w) => Math.max(m, backends(w)), 0);
    const walShare = inWindow.length ? inWindow.reduce((s, w) => s + wal(w), 0) / inWindow.reduce((s, w) => s + backends(w), 0) : 0;
    console.log(`  +${c.begin - start} ms: ${c.n} late, worst ${c.max.toFixed(0)} ms; ${inWindow.length} samples with waiting backends in the ${(c.end - c.begin + c.max).toFixed(0)} ms before and during, up to ${most} at once, ${(100 * walShare).toFixed(0)} % of their waits on WALSync/WALWrite`);
  }
}
const all = waits.reduce((s, w) => s + backends(w), 0);
console.log(`whole run: ${waits.length} samples with waiting backends, ${(100 * waits.reduce((s, w) => s + wal(w), 0) / all).toFixed(0)} % of waits on WALSync/WALWrite`);

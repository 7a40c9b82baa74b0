// Summarizes a profile the probes wrote, as text:
//   node bench/probes/summarize.js /tmp/prof/<pid>.cpuprofile     self time by package and by function
//   node bench/probes/summarize.js /tmp/heap-<pid>.heapprofile    bytes allocated, likewise
// The project's own code is `project:<folder of dist/>`; native work (GC, writes) by its V8 name.
const fs = require('fs');
const file = process.argv[2];
const data = JSON.parse(fs.readFileSync(file, 'utf8'));
const byPkg = new Map(),
  byFn = new Map();
function pkgOf(url) {
  if (!url) return '(native)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.includes('/dist/')) return 'project:' + url.split('/dist/')[1].split('/')[0];
  if (url.startsWith('node:')) return url;
  return url;
}
function add(map, key, v) {
  map.set(key, (map.get(key) || 0) + v);
}
let total = 0;
if (data.head) {
  // heap profile
  (function walk(node) {
    const v = node.selfSize;
    total += v;
    const cf = node.callFrame;
    add(byPkg, pkgOf(cf.url), v);
    add(byFn, `${cf.functionName || '(anon)'} ${pkgOf(cf.url)}:${cf.lineNumber}`, v);
    node.children.forEach(walk);
  })(data.head);
} else {
  const self = new Map();
  const dt = data.timeDeltas;
  const counts = new Map();
  data.samples.forEach((id, i) => add(counts, id, dt[i] || 0));
  for (const node of data.nodes) {
    const v = counts.get(node.id) || 0;
    total += v;
    const cf = node.callFrame;
    add(byPkg, pkgOf(cf.url) + (cf.url ? '' : ' ' + cf.functionName), v);
    add(byFn, `${cf.functionName || '(anon)'} ${pkgOf(cf.url)}:${cf.lineNumber}`, v);
  }
}
const top = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log('by package\n' + top(byPkg, 25) + '\n\nby function\n' + top(byFn, 40));

// inclusive share of busy time (non-idle) of a function name, and of the profile
const p = JSON.parse(require('fs').readFileSync(process.argv[2]));
const name = process.argv[3];
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const counts = new Map(); for (const s of p.samples) counts.set(s, (counts.get(s) || 0) + 1);
let idle = 0; for (const n of p.nodes) if (n.callFrame.functionName === '(idle)') idle += counts.get(n.id) || 0;
const busy = p.samples.length - idle;
const seen = new Set(); let inc = 0;
function sub(id) { let t = counts.get(id) || 0; for (const c of byId.get(id).children || []) t += sub(c); return t; }
// avoid double counting recursion: only topmost nodes with the name
function walk(id, inside) { const n = byId.get(id); const hit = n.callFrame.functionName === name && !inside; if (hit) inc += sub(id); for (const c of n.children || []) walk(c, inside || n.callFrame.functionName === name); }
walk(p.nodes[0].id, false);
console.log(`${name}: ${(100 * inc / busy).toFixed(2)} % of busy samples (${busy} busy of ${p.samples.length})`);

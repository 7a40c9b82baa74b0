const { execSync } = require('child_process');
for (const [label, file] of process.argv.slice(2).map((a) => a.split('='))) {
  const out = execSync(`node bench/probes/fanout-timeline.js ${file} 9`).toString();
  const fanouts = out.split('fan-out from').slice(1);
  const rows = fanouts.map((text) => {
    const lines = text.split('\n').map((l) => l.trim().match(/^([\d.]+) ms\s+(\S+)/)).filter(Boolean);
    let ins = 0, cnt = 0, commit = 0, start = {};
    let end = 0;
    for (const [, t, what] of lines) {
      const time = Number(t);
      if (what.endsWith('>')) start[what.slice(0, -1)] = time;
      if (what === 'insert<') ins += time - start.insert;
      if (what === 'count<') cnt += time - start.count;
      if (what === 'COMMIT<') commit += time - start.COMMIT;
      if (what === 'unit<' || what === 'COMMIT<') end = time;
    }
    return { ins, cnt, commit, stored: end };
  }).slice(-9);
  const med = (k) => { const v = rows.map((r) => r[k]).sort((a, b) => a - b); return v[Math.floor(v.length / 2)].toFixed(1); };
  console.log(label.padEnd(10), 'median of', rows.length, 'fan-outs: inserts', med('ins'), 'ms, counts', med('cnt'), 'ms, COMMIT', med('commit'), 'ms, stored at', med('stored'), 'ms');
}

// What PostgreSQL's busy backends wait on, sampled every 2 ms while a bench runs beside it:
//
//   node bench/probes/pg-waits.js <seconds> [out file, default /tmp/pg-waits.txt] &
//   BENCH_TIMELINE_DIR=/tmp/timeline npm run bench -- --only=multinode --targets=project
//
// Each line is a sample that found an active backend of a bench database waiting: the time in
// ms since the epoch, then `wait_event_type:wait_event|first words of its statement` per
// backend. The timeline files (BENCH_TIMELINE_DIR) give each phase's start in the same clock,
// so a cluster of late deliveries can be read against what the database did at that moment:
// every backend on `IO:WALSync` / `LWLock:WALWrite` at once is a commit waiting for the disk.
// Connects with BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
const fs = require('node:fs');
const { Client } = require('pg');

const seconds = Number(process.argv[2] ?? 60);
const out = process.argv[3] ?? '/tmp/pg-waits.txt';
const SAMPLE = `SELECT wait_event_type || ':' || wait_event AS wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS statement
  FROM pg_stat_activity
  WHERE pid <> pg_backend_pid() AND datname LIKE 'bench%' AND state = 'active' AND wait_event IS NOT NULL`;

(async () => {
  const client = new Client({ connectionString: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  const lines = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const at = Date.now();
    const { rows } = await client.query(SAMPLE);
    if (rows.length) lines.push(`${at} ${rows.map((row) => `${row.wait}|${row.statement}`).join(' ;; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await client.end();
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.error(`pg-waits: ${lines.length} samples with a waiting backend, in ${out}`);
})();

// Preload for a server under the bench (BENCH_TARGET_NODE_ARGS="-r ./bench/probes/sql-time.js"):
// times every better-sqlite3 statement by its SQL text and, when the server is stopped
// (SIGTERM), writes the totals, heaviest first, to /tmp/sql-time-<pid>.txt.
const fs = require('node:fs');
const Database = require('better-sqlite3');

const totals = new Map();
// The end is taken before the statement's text is read and shortened: both take microseconds
// for a long statement, which the totals counted until 2026-12-06.
const record = (sql, startedAt, endedAt) => {
  const key = sql.replace(/\s+/g, ' ').slice(0, 160);
  const total = totals.get(key) ?? { count: 0, ns: 0n };
  total.count += 1;
  total.ns += endedAt - startedAt;
  totals.set(key, total);
};

// Statements share one native prototype: wrap its methods once, on the first prepare.
let wrapped = false;
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  const statement = prepare.call(this, sql);
  if (!wrapped) {
    wrapped = true;
    const prototype = Object.getPrototypeOf(statement);
    for (const method of ['run', 'all', 'get', 'iterate']) {
      const original = prototype[method];
      prototype[method] = function (...args) {
        const startedAt = process.hrtime.bigint();
        try {
          return original.apply(this, args);
        } finally {
          const endedAt = process.hrtime.bigint();
          record(this.source, startedAt, endedAt);
        }
      };
    }
  }
  return statement;
};
const exec = Database.prototype.exec;
Database.prototype.exec = function (sql) {
  const startedAt = process.hrtime.bigint();
  try {
    return exec.call(this, sql);
  } finally {
    const endedAt = process.hrtime.bigint();
    record(`EXEC ${sql}`, startedAt, endedAt);
  }
};

process.prependListener('SIGTERM', () => {
  const lines = [...totals]
    .sort((a, b) => Number(b[1].ns - a[1].ns))
    .map(([sql, { count, ns }]) => {
      const ms = Number(ns) / 1e6;
      return `${ms.toFixed(0).padStart(7)} ms ${String(count).padStart(7)} × ${((1000 * ms) / count).toFixed(1).padStart(8)} µs  ${sql}`;
    });
  fs.writeFileSync(`/tmp/sql-time-${process.pid}.txt`, `${lines.join('\n')}\n`);
});

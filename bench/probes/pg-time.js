// Preload for a server under the bench (BENCH_TARGET_NODE_ARGS="-r ./bench/probes/pg-time.js"):
// what a `pg` target asks PostgreSQL. Counts and times every statement by its text (from the
// query() call to its result, so a wait in the client's queue counts), round trips, and pool
// waits (from Pool.connect() to a client in hand, pool.query() included). Each query is put
// down to the HTTP request or WebSocket upgrade that started it (AsyncLocalStorage; "other" is
// WebSocket frames such as acks, timers and startup), so the file reads per POST. When the
// server is stopped (SIGTERM) it writes /tmp/pg-time-<pid>.txt.
const fs = require('node:fs');
const http = require('node:http');
const { AsyncLocalStorage, AsyncResource } = require('node:async_hooks');
const pg = require('pg');

const startedAt = process.hrtime.bigint();
const origin = new AsyncLocalStorage();
/** By origin ("POST /notifications", "upgrade /ws", "other"): requests, then per statement text. */
const origins = new Map();
const pool = { waits: 0, ns: 0n, maxNs: 0n, buckets: [0, 0, 0, 0] };
const BUCKET_LIMITS_NS = [100_000n, 1_000_000n, 10_000_000n];

function originOf(key) {
  let entry = origins.get(key);
  if (!entry) origins.set(key, (entry = { requests: 0, roundTrips: 0, poolWaits: 0, statements: new Map() }));
  return entry;
}

// Numbered parameters and repeated VALUES rows or IN lists vary with the row count: one key for all.
function statementKey(text) {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\$\d+/g, '$')
    .replace(/\$(, \$)+/g, '$, …')
    .replace(/(\([^()]*\))(, \1)+/g, '$1, …')
    .slice(0, 240);
}

// Client.query: one round trip per call, unless the client pipelines (pg's `pipeline` option):
// then only a query sent while none is outstanding waits a round trip of its own.
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  const text = typeof config === 'string' ? config : (config?.text ?? '(custom query object)');
  const entry = originOf(origin.getStore() ?? 'other');
  const queryStartedAt = process.hrtime.bigint();
  const outstanding = (this.__pgTimeOutstanding ?? 0) + 1;
  this.__pgTimeOutstanding = outstanding;
  if (!this.pipeline || outstanding === 1) entry.roundTrips++;
  let recorded = false;
  const record = () => {
    if (recorded) return;
    recorded = true;
    this.__pgTimeOutstanding--;
    const key = statementKey(text);
    const total = entry.statements.get(key) ?? { count: 0, ns: 0n, statements: 0 };
    total.count += 1;
    total.ns += process.hrtime.bigint() - queryStartedAt;
    // Several statements in one text (simple protocol) are one round trip but several statements.
    total.statements += Math.max(1, text.split(';').filter((part) => part.trim()).length);
    entry.statements.set(key, total);
  };
  const wrap =
    (original) =>
    (...args) => {
      record();
      return original(...args);
    };
  if (typeof callback === 'function') callback = wrap(callback);
  else if (typeof values === 'function') values = wrap(values);
  else if (typeof config?.callback === 'function') config.callback = wrap(config.callback);
  const result = query.call(this, config, values, callback);
  if (typeof result?.then === 'function') result.then(record, record);
  else if (typeof result?.once === 'function') result.once('end', record).once('error', record);
  return result;
};

// Pool.connect on pg-pool's prototype, which pg's Pool extends. A caller that waits for a client
// is called back from whoever released it: bound, the callback runs in the caller's context.
const poolPrototype = Object.getPrototypeOf(pg.Pool.prototype);
const connect = poolPrototype.connect;
poolPrototype.connect = function (callback) {
  originOf(origin.getStore() ?? 'other').poolWaits++;
  const waitStartedAt = process.hrtime.bigint();
  const record = () => {
    const ns = process.hrtime.bigint() - waitStartedAt;
    pool.waits++;
    pool.ns += ns;
    if (ns > pool.maxNs) pool.maxNs = ns;
    const bucket = BUCKET_LIMITS_NS.findIndex((limit) => ns <= limit);
    pool.buckets[bucket === -1 ? 3 : bucket]++;
  };
  if (typeof callback === 'function') {
    return connect.call(
      this,
      AsyncResource.bind((...args) => {
        record();
        return callback(...args);
      }),
    );
  }
  const result = connect.call(this);
  result.then(record, record);
  return result;
};

// Every HTTP request and upgrade runs in the context of its route, with ids folded into `:id`.
// Servers may replace their own `emit` (the project does, to claim its upgrades first): an
// accessor on the prototype wraps whatever is assigned too. A request is counted once.
const counted = Symbol('pg-time counted');
const ownEmit = Symbol('pg-time emit');
function inOriginOf(emit) {
  return function (event, request, ...rest) {
    if ((event !== 'request' && event !== 'upgrade') || request[counted]) return emit.call(this, event, request, ...rest);
    request[counted] = true;
    const path = (request.url ?? '/').split('?', 1)[0].replace(/\/[^/]*\d[^/]*/g, '/:id');
    const key = event === 'upgrade' ? `upgrade ${path}` : `${request.method} ${path}`;
    originOf(key).requests++;
    return origin.run(key, () => emit.call(this, event, request, ...rest));
  };
}
const emitInOrigin = inOriginOf(http.Server.prototype.emit);
Object.defineProperty(http.Server.prototype, 'emit', {
  configurable: true,
  get() {
    return this[ownEmit] ?? emitInOrigin;
  },
  set(emit) {
    this[ownEmit] = inOriginOf(emit);
  },
});

function report() {
  const ms = (ns) => Number(ns) / 1e6;
  const seconds = ms(process.hrtime.bigint() - startedAt) / 1000;
  const all = [...origins.values()];
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  const statements = all.flatMap((entry) => [...entry.statements.values()]);
  const lines = [
    `pg-time: pid ${process.pid}, ${process.argv.slice(1).join(' ')}, over ${seconds.toFixed(1)} s`,
    `totals: ${sum(all.map((e) => e.roundTrips))} round trips, ${sum(statements.map((s) => s.statements))} statements ` +
      `(${sum(statements.map((s) => s.count))} query() calls), ${ms(statements.reduce((a, s) => a + s.ns, 0n)).toFixed(0)} ms from query() to result`,
    `pool waits: ${pool.waits}, ${ms(pool.ns).toFixed(0)} ms in all, mean ${pool.waits ? ((1000 * ms(pool.ns)) / pool.waits).toFixed(1) : 0} µs, ` +
      `max ${ms(pool.maxNs).toFixed(1)} ms; ≤ 0.1 ms ${pool.buckets[0]}, ≤ 1 ms ${pool.buckets[1]}, ≤ 10 ms ${pool.buckets[2]}, > 10 ms ${pool.buckets[3]}`,
    '',
    'by what started them (per request: round trips, statements, pool waits, ms from query() to result):',
  ];
  const byLoad = [...origins].sort((a, b) => b[1].roundTrips - a[1].roundTrips);
  for (const [key, entry] of byLoad) {
    const list = [...entry.statements].sort((a, b) => b[1].count - a[1].count);
    const per = (value) => (entry.requests ? (value / entry.requests).toFixed(2) : '-');
    const stmts = sum(list.map(([, s]) => s.statements));
    const totalMs = ms(list.reduce((a, [, s]) => a + s.ns, 0n));
    lines.push(
      '',
      `${key}: ${entry.requests || '-'} requests, ${entry.roundTrips} round trips (${per(entry.roundTrips)} per request), ` +
        `${stmts} statements (${per(stmts)}), ${entry.poolWaits} pool waits (${per(entry.poolWaits)}), ${totalMs.toFixed(0)} ms (${per(totalMs)})`,
    );
    for (const [text, s] of list) {
      const mean = (1000 * ms(s.ns)) / s.count;
      const counts = `${String(s.count).padStart(8)} × (${per(s.count).padStart(5)} per request)`;
      lines.push(`  ${counts} ${ms(s.ns).toFixed(0).padStart(7)} ms ${mean.toFixed(0).padStart(7)} µs each  ${text}`);
    }
  }
  fs.writeFileSync(`/tmp/pg-time-${process.pid}.txt`, `${lines.join('\n')}\n`);
}

process.prependListener('SIGTERM', function onSigterm() {
  report();
  // A server with no SIGTERM handler of its own must still stop.
  if (process.listenerCount('SIGTERM') === 1) {
    process.removeListener('SIGTERM', onSigterm);
    process.kill(process.pid, 'SIGTERM');
  }
});

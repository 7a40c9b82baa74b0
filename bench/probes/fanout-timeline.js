// The phases of each fan-out in the project's server, in wall time from its first POST.
//
// As a preload under bench/fanout-ab.ts (BENCH_TARGET_NODE_ARGS="-r ./bench/probes/fanout-timeline.js";
// the driver sets BENCH_LIBRARY_DIR to the server's checkout): wraps a few methods of that
// checkout's dist/ (the unit-of-work group and each unit in it, the inbox insert, the unread
// counts, each COMMIT with the WAL frames of its transaction, the delivery of each send, the
// ack UPDATE) and the HTTP server's POSTs, and writes their start and end times to
// /tmp/fanout-timeline-<pid>.txt when the server is stopped. Each wrapper costs a closure and a
// promise: read the phases against each other, not the totals.
//
// Run directly, it prints that file one fan-out at a time, a fan-out being the POSTs that
// arrive within 50 ms of each other and everything until the next such burst:
//   node bench/probes/fanout-timeline.js /tmp/fanout-timeline-<pid>.txt [how many of the last fan-outs, default 2]
const fs = require('node:fs');

if (require.main === module) summarize(process.argv[2], Number(process.argv[3] ?? 2));
else if (process.env.BENCH_LIBRARY_DIR) record(process.env.BENCH_LIBRARY_DIR);

function record(checkout) {
  const http = require('node:http');
  const events = [];
  const mark = (name, detail) => events.push(`${performance.now().toFixed(2)} ${name} ${detail}`);
  const wrap = (file, className, method, name, detailOf = () => '') => {
    const prototype = require(`${checkout}/dist/${file}`)[className]?.prototype;
    const original = prototype?.[method];
    // An older build without this method: its phase is left out.
    if (typeof original !== 'function') return;
    prototype[method] = function (...args) {
      const detail = detailOf(...args);
      mark(`${name}>`, detail);
      const result = original.apply(this, args);
      if (result && typeof result.then === 'function') return result.finally(() => mark(`${name}<`, detail));
      mark(`${name}<`, detail);
      return result;
    };
  };
  wrap('persistence/unit-of-work.js', 'UnitOfWork', 'runGroup', 'group', (units) => `${units.length} units`);
  wrap('persistence/unit-of-work.js', 'UnitOfWork', 'runUnit', 'unit');
  wrap(
    'persistence/notifications.store.js',
    'NotificationsStore',
    'insertRecipients',
    'insert',
    (_, __, userIds) => `${userIds.length} rows`,
  );
  wrap('persistence/notifications.store.js', 'NotificationsStore', 'countUnread', 'count', (_, userIds) => `${userIds.length} users`);
  wrap('persistence/notifications.store.js', 'NotificationsStore', 'markDelivered', 'ack UPDATE', (_, acks) => `${acks.length} acks`);
  wrap(
    'sessions/live-delivery.js',
    'LiveDelivery',
    'deliverNotification',
    'deliver',
    (message) => `${message.recipients.length} recipients`,
  );
  recordCommits(checkout, mark);
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (type, request, response) {
    if (type === 'request' && request.method === 'POST' && request.url.startsWith('/notifications')) {
      mark('POST', 'read');
      response.on('finish', () => mark('POST', 'answered'));
    }
    return emit.apply(this, arguments);
  };
  // The driver's window (BENCH_PROBE_WINDOW=1): SIGUSR2 before the measured fan-outs drops what
  // the warm-up recorded, SIGUSR1 after them changes nothing. Unheard, SIGUSR2 would end the server.
  process.on('SIGUSR2', () => events.splice(0));
  process.on('SIGUSR1', () => {});
  process.prependListener('SIGTERM', () => fs.writeFileSync(`/tmp/fanout-timeline-${process.pid}.txt`, events.join('\n') + '\n'));
}

/**
 * Each COMMIT statement, with the WAL frames its transaction wrote: from the wal-index header
 * in the -shm file, read at BEGIN and after COMMIT (mxFrame, bytes 16–19, the frames in the
 * WAL; the salt, bytes 32–35, which changes when a transaction starts the WAL over).
 */
function recordCommits(checkout, mark) {
  const Database = require(`${checkout}/node_modules/better-sqlite3`);
  const header = Buffer.alloc(20);
  const walAt = (file) => {
    const descriptor = fs.openSync(`${file}-shm`, 'r');
    try {
      fs.readSync(descriptor, header, 0, 20, 16);
      return { frames: header.readUInt32LE(0), salt: header.readUInt32LE(16) };
    } finally {
      fs.closeSync(descriptor);
    }
  };
  let begun;
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql) {
    const statement = prepare.call(this, sql);
    if ((sql !== 'COMMIT' && sql !== 'BEGIN TRANSACTION') || this.memory) return statement;
    const run = statement.run;
    const file = this.name;
    statement.run = function (...args) {
      if (sql === 'BEGIN TRANSACTION') {
        begun = walAt(file);
        return run.apply(this, args);
      }
      mark('COMMIT>', '');
      try {
        return run.apply(this, args);
      } finally {
        const wal = walAt(file);
        const written = begun && wal.salt === begun.salt ? wal.frames - begun.frames : wal.frames;
        mark('COMMIT<', `${written} WAL frames`);
      }
    };
    return statement;
  };
}

function summarize(file, last) {
  const events = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [at, ...rest] = line.split(' ');
      return { at: Number(at), text: rest.join(' ').trim() };
    });
  const starts = [];
  events.forEach((event, index) => {
    if (event.text !== 'POST read') return;
    const previous = starts.length ? events[starts[starts.length - 1]] : undefined;
    if (!previous || event.at - previous.at > 50) starts.push(index);
  });
  for (const [position, start] of starts.slice(-last).entries()) {
    const end = starts[starts.length - last + position + 1] ?? events.length;
    const origin = events[start].at;
    console.log(`fan-out from ${origin.toFixed(1)} ms`);
    const acks = [];
    for (const event of events.slice(start, end)) {
      if (event.text.startsWith('ack UPDATE')) acks.push(event);
      else console.log(`${(event.at - origin).toFixed(1).padStart(8)} ms  ${event.text}`);
    }
    if (acks.length) {
      const [first, lastAck] = [acks[0], acks[acks.length - 1]];
      console.log(
        `${(first.at - origin).toFixed(1).padStart(8)} ms  ack UPDATEs: ${acks.length / 2} until ${(lastAck.at - origin).toFixed(1)} ms`,
      );
    }
  }
}

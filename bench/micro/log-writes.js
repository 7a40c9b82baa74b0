// The CPU a request log line costs the server, written one write per line (pino's asynchronous
// destination as is) or in 4 KiB batches flushed every 100 ms (what src/server/logging.ts does).
// Pinned like the bench (process on CPU 0, the reader of its stdout on CPU 1):
//
//   for mode in line batch; do taskset -c 0 node bench/micro/log-writes.js $mode 500 | taskset -c 1 cat > /dev/null; done
//
// It prints CPU per line of the whole process (every thread: the writes happen in libuv's
// thread pool), including the 2 ms timer that paces the lines, which both modes pay alike.
const { pino, destination } = require('pino');
const { requestLine } = require('./request-line');

const batched = process.argv[2] === 'batch';
const rate = Number(process.argv[3] ?? 500);
const SECONDS = 6;

const stdout = destination({ dest: 1, sync: false, ...(batched ? { minLength: 4096, periodicFlush: 100 } : {}) });
const log = pino({}, stdout);
// A request line as the server writes it (serializeRequest's fields).

let written = 0;
const start = Date.now();
const cpuAtStart = process.cpuUsage();
const pacer = setInterval(() => {
  const due = Math.floor(((Date.now() - start) / 1000) * rate);
  while (written < due) {
    log.info(requestLine, 'request completed');
    written++;
  }
  if (Date.now() - start < SECONDS * 1000) return;
  clearInterval(pacer);
  const cpu = process.cpuUsage(cpuAtStart);
  process.stderr.write(
    `${batched ? 'batched' : 'one write per line'} at ${rate}/s: ${((cpu.user + cpu.system) / written).toFixed(1)} µs CPU per line (${written} lines)\n`,
  );
}, 2);

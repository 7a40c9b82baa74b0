// What pino's redaction costs a request log line: the server's logger (redact paths of
// src/server/logging.ts) against a child with `redact: []`, which is what request lines use.
//
//   taskset -c 0 node bench/micro/log-redaction.js
//
// Lines go to a destination that drops them, so only building the line is timed.
const { pino } = require('pino');

const LINES = 200_000;
const discard = { write() {} };
const logger = pino(
  { redact: { paths: ['token', '*.token', 'access_token', '*.access_token'], censor: '[REDACTED]' } },
  discard,
);
const withoutRedaction = logger.child({}, { redact: [] });
const req = {
  id: '46ec5748-218a-475e-a5a8-1a813fb437f7',
  method: 'POST',
  url: '/notifications',
  remoteAddress: '127.0.0.1',
  headers: { host: 'localhost:3000', 'user-agent': 'bench', 'content-type': 'application/json', 'content-length': '120' },
};

for (let round = 0; round < 2; round++) {
  for (const [name, log] of [['redacting', logger], ['request lines (no redaction)', withoutRedaction]]) {
    const start = process.hrtime.bigint();
    for (let line = 0; line < LINES; line++) log.info({ req, res: { statusCode: 201 }, responseTime: 3 }, 'request completed');
    console.log(`${name}: ${(Number(process.hrtime.bigint() - start) / LINES / 1000).toFixed(2)} µs per line`);
  }
}

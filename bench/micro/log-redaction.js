// What pino's redaction costs a request log line: the server's logger (redact paths of
// src/server/logging.ts) against a child with `redact: []`, which is what request lines use.
//
//   taskset -c 0 node bench/micro/log-redaction.js
//
// Lines go to a destination that drops them, so only building the line is timed.
const { pino } = require('pino');
const { requestLine } = require('./request-line');

const LINES = 200_000;
const discard = { write() {} };
const logger = pino({ redact: { paths: ['token', '*.token', 'access_token', '*.access_token'], censor: '[REDACTED]' } }, discard);
const withoutRedaction = logger.child({}, { redact: [] });

for (let round = 0; round < 2; round++) {
  for (const [name, log] of [
    ['redacting', logger],
    ['request lines (no redaction)', withoutRedaction],
  ]) {
    const start = process.hrtime.bigint();
    for (let line = 0; line < LINES; line++) log.info(requestLine, 'request completed');
    console.log(`${name}: ${(Number(process.hrtime.bigint() - start) / LINES / 1000).toFixed(2)} µs per line`);
  }
}

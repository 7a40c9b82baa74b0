// What a commit costs SQLite while its WAL keeps growing, against one whose log starts over.
// The server's connection never checkpoints (a worker does it beside the writes), and while
// writes never stop SQLite never starts the log over by itself (server/src/sqlite-checkpoints.ts):
// every commit then appends to a longer file. Both modes write the same transactions (28 rows,
// each on a random page of an index, about what four p2p sends change) to a table of 200,000
// rows, and checkpoint every 100 commits outside the timing:
//
//   grow     a passive checkpoint while a second connection holds a read snapshot from before
//            the last commit: everything older is copied, and the log never starts over
//   restart  a checkpoint with nothing else open: the next commit writes the log from its start
//
//   for mode in grow restart grow restart; do taskset -c 0 node bench/micro/wal-restart.js $mode; done
const Database = require('better-sqlite3');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const mode = process.argv[2];
if (mode !== 'grow' && mode !== 'restart') throw new Error('usage: wal-restart.js grow|restart');
const COMMITS_PER_CHECKPOINT = 100;
const CHECKPOINTS = 200;
const ROWS_PER_COMMIT = 28;

const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-restart-'));
const file = path.join(directory, 'db.sqlite');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, key TEXT, value TEXT); CREATE INDEX rows_by_key ON rows (key)');
const insert = db.prepare('INSERT INTO rows (key, value) VALUES (?, ?)');
db.transaction(() => {
  for (let row = 0; row < 200_000; row++) insert.run(`u${(row * 7919) % 20_000}-${row}`, 'x'.repeat(20));
})();
db.pragma('wal_checkpoint(TRUNCATE)');

const commit = db.transaction((serial) => {
  for (let row = 0; row < ROWS_PER_COMMIT; row++) insert.run(`u${Math.floor(Math.random() * 20_000)}-${serial}`, 'y'.repeat(20));
});
const reader = new Database(file);
const peek = reader.prepare('SELECT COUNT(*) FROM rows WHERE id = 1');

let cpuMicros = 0;
let wallMicros = 0;
let serial = 0;
for (let round = 0; round < CHECKPOINTS; round++) {
  const cpuAtStart = process.cpuUsage();
  const wallAtStart = process.hrtime.bigint();
  for (let index = 0; index < COMMITS_PER_CHECKPOINT; index++) commit(serial++);
  const cpu = process.cpuUsage(cpuAtStart);
  cpuMicros += cpu.user + cpu.system;
  wallMicros += Number(process.hrtime.bigint() - wallAtStart) / 1000;
  if (mode === 'restart') {
    db.pragma('wal_checkpoint(PASSIVE)');
  } else {
    if (reader.inTransaction) reader.exec('COMMIT');
    reader.exec('BEGIN');
    peek.get();
    commit(serial++);
    db.pragma('wal_checkpoint(PASSIVE)');
  }
}
const commits = COMMITS_PER_CHECKPOINT * CHECKPOINTS;
const walBytes = fs.statSync(`${file}-wal`).size;
console.log(
  `${mode}: ${(cpuMicros / commits).toFixed(1)} µs CPU and ${(wallMicros / commits).toFixed(1)} µs wall per commit; ` +
    `WAL file ${(walBytes / 1024 / 1024).toFixed(0)} MiB`,
);
reader.close();
db.close();
fs.rmSync(directory, { recursive: true, force: true });

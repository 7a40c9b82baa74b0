// Lab script (2026-12-05): what the unread count that every send reads for each online
// recipient costs, by how many unread rows the user has. The project's schema comes from its
// migrations (run `npm run build` first), and the statement is NotificationsStore.countUnread's
// for one user. Run from the repository root:
//   taskset -c 0 node bench/results/2026-12-05l/unread-count-cost.js
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { v7: timeOrderedId } = require('uuid');
const { projectInbox } = require('./project-inbox');

const DEPTHS = [1, 10, 100, 1000, 10000];
const COUNTS = 2000;

(async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'unread-count-'));
  const file = path.join(directory, 'project.sqlite');
  const { db, notification, row } = await projectInbox(file, 'bench.p2p');
  db.pragma('journal_mode = WAL');
  // NotificationsStore.countUnread for one user (UNREAD_ROW, UNSEEN_TALLY).
  const count = db.prepare(
    `SELECT user_id AS "userId", COUNT(*) AS "count", SUM(CASE WHEN seen_at IS NULL THEN 1 ELSE 0 END) AS "unseen"
     FROM notification_recipients WHERE user_id IN (?) AND read_at IS NULL AND archived_at IS NULL
     AND (expires_at IS NULL OR expires_at > ?) GROUP BY user_id`,
  );
  // Other users' rows around them, so the index is not one user's alone.
  db.transaction(() => {
    for (const depth of DEPTHS) {
      for (let index = 0; index < depth; index++) {
        const id = timeOrderedId();
        const now = new Date().toISOString();
        notification(id, now);
        row(`user-${depth}`, id, now);
        row(`other-${index % 500}`, id, now);
      }
    }
  })();
  console.log(`µs per count of one user (median of 5 rounds of ${COUNTS})`);
  for (const depth of DEPTHS) {
    const rounds = [];
    for (let round = 0; round < 5; round++) {
      const now = new Date().toISOString();
      const started = process.hrtime.bigint();
      for (let index = 0; index < COUNTS; index++) count.all(`user-${depth}`, now);
      rounds.push(Number(process.hrtime.bigint() - started) / COUNTS / 1000);
    }
    rounds.sort((a, b) => a - b);
    const [result] = count.all(`user-${depth}`, new Date().toISOString());
    console.log(`${String(depth).padStart(6)} unread rows: ${rounds[2].toFixed(1).padStart(7)} µs  (counted ${result.count})`);
  }
  db.close();
  fs.rmSync(directory, { recursive: true, force: true });
})();

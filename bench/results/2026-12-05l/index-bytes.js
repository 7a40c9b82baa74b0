// Lab script (2026-12-05): how many bytes and leaf pages each index of the inbox takes per row,
// the project's schema (its migrations, after `npm run build`) against the floor's (as
// bench/micro/wal-frames-per-send.js builds it), for 5,000 users with 20 rows each, as 20
// fan-outs of the bench leave them (acknowledged, unread, no topic). Run from the repository
// root: node bench/results/2026-12-05l/index-bytes.js
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { v7: timeOrderedId } = require('uuid');
const { projectInbox } = require('./project-inbox');
const { floorDatabase } = require('../../micro/wal-frames-per-send');

const USERS = Array.from({ length: 5000 }, (_, index) => `f-${index}`);
const ROWS_PER_USER = 20;
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'index-bytes-'));

async function project() {
  const file = path.join(directory, 'project.sqlite');
  const { db, notification, row } = await projectInbox(file, 'bench.fanout');
  fill(db, notification, row);
  return report(db, 'notification_recipients');
}

function floor() {
  const db = floorDatabase(path.join(directory, 'floor.sqlite'));
  const notification = db.prepare(`INSERT INTO notifications (id, type, title, body, data, created_at) VALUES (?, 'bench.fanout', 'fan-out', NULL, '{"k":1}', ?)`);
  const row = db.prepare('INSERT INTO recipients (user_id, notification_id, delivered_at) VALUES (?, ?, ?)');
  fill(db, (id, now) => notification.run(id, now), (userId, id, now) => row.run(userId, id, now));
  return report(db, 'recipients');
}

/** One notification per round to every user, as a fan-out stores it. */
function fill(db, notification, row) {
  db.transaction(() => {
    for (let round = 0; round < ROWS_PER_USER; round++) {
      const id = timeOrderedId();
      const now = new Date().toISOString();
      notification(id, now);
      for (const userId of USERS) row(userId, id, now);
    }
  })();
}

function report(db, table) {
  const names = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?`).all(table).map((index) => index.name);
  const rows = USERS.length * ROWS_PER_USER;
  return [table, ...names].map((name) => {
    const stat = db
      .prepare(`SELECT SUM(pagetype = 'leaf') AS leaves, SUM(CASE WHEN pagetype = 'leaf' THEN pgsize - unused ELSE 0 END) AS used FROM dbstat WHERE name = ?`)
      .get(name);
    return { name, leafPages: stat.leaves, bytesPerRow: +(stat.used / rows).toFixed(1) };
  });
}

(async () => {
  console.log(`${USERS.length} users × ${ROWS_PER_USER} rows`);
  console.log('project'); console.table(await project());
  console.log('floor'); console.table(floor());
  fs.rmSync(directory, { recursive: true, force: true });
})();

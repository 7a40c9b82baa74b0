// Shared by this folder's lab scripts: a SQLite file with the project's schema (its
// migrations, after `npm run build`) and statements that store a notification of `type` and
// one acknowledged, unread inbox row of it, as a send does.
require('reflect-metadata');
const Database = require('better-sqlite3');
const { DataSource } = require('typeorm');
const { NOTIFICATIONS_MIGRATIONS } = require('../../../dist');

async function projectInbox(file, type) {
  const dataSource = new DataSource({ type: 'better-sqlite3', database: file, migrations: NOTIFICATIONS_MIGRATIONS });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  const db = new Database(file);
  const notification = db.prepare(
    `INSERT INTO notifications (id, type, title, body, data, priority, topic, sender_id, created_at, expires_at, audience,
       deliver_at, pending_audience, critical, actions, group_key, tenant_id)
     VALUES (?, ?, 'title', NULL, '{"k":1}', 'normal', NULL, 'bench-sender', ?, NULL, 'users', NULL, NULL, 0, NULL, NULL, '')`,
  );
  const row = db.prepare(
    `INSERT INTO notification_recipients (user_id, notification_id, created_at, expires_at, type, topic, delivered_at)
     VALUES (?, ?, ?, NULL, ?, NULL, ?)`,
  );
  return {
    db,
    notification: (id, now) => notification.run(id, type, now),
    row: (userId, id, now) => row.run(userId, id, now, type, now),
  };
}

module.exports = { projectInbox };

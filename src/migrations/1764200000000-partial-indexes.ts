import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes that hold or reach only the rows their queries look for. A plain send (no TTL, no
 * schedule, not a broadcast) then updates no index of `notifications` but its key, and an
 * unread count or a replay without a cursor reads only unread or unacknowledged rows, however
 * long the user's history. The entities declare the same indexes (the migrations specs check
 * that nothing differs); this file stays as written, like every migration.
 */
const PARTIAL_INDEXES = {
  broadcasts: { name: 'idx_notifications_broadcasts', columnNames: ['expires_at'], where: `"audience" = 'broadcast'` },
  held: { name: 'idx_notifications_held', columnNames: ['deliver_at'], where: '"pending_audience" IS NOT NULL' },
  expiring: { name: 'idx_notifications_expiring', columnNames: ['expires_at'], where: '"expires_at" IS NOT NULL' },
  // Not partial: SQLite's planner would not pick a partial one for `user_id IN (…)`. With
  // read and archived state in the key it seeks straight to the unread rows and counts them
  // from the index alone.
  unread: { name: 'idx_notification_recipients_unread', columnNames: ['user_id', 'read_at', 'archived_at', 'expires_at'] },
  undelivered: {
    name: 'idx_notification_recipients_undelivered',
    columnNames: ['user_id', 'cursor'],
    where: '"delivered_at" IS NULL AND "archived_at" IS NULL',
  },
};

export class PartialIndexes1764200000000 implements MigrationInterface {
  name = 'PartialIndexes1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notifications', 'idx_notifications_audience_expires');
    await queryRunner.dropIndex('notifications', 'idx_notifications_deliver_at');
    await queryRunner.dropIndex('notifications', 'idx_notifications_expires_at');
    await queryRunner.dropIndex('notification_recipients', 'idx_notification_recipients_user_read');
    const { broadcasts, held, expiring, unread, undelivered } = PARTIAL_INDEXES;
    await queryRunner.createIndices(
      'notifications',
      [broadcasts, held, expiring].map((index) => new TableIndex(index)),
    );
    await queryRunner.createIndices(
      'notification_recipients',
      [unread, undelivered].map((index) => new TableIndex(index)),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { name } of [PARTIAL_INDEXES.unread, PARTIAL_INDEXES.undelivered]) {
      await queryRunner.dropIndex('notification_recipients', name);
    }
    for (const { name } of [PARTIAL_INDEXES.broadcasts, PARTIAL_INDEXES.held, PARTIAL_INDEXES.expiring]) {
      await queryRunner.dropIndex('notifications', name);
    }
    await queryRunner.createIndices('notifications', [
      new TableIndex({ name: 'idx_notifications_audience_expires', columnNames: ['audience', 'expires_at'] }),
      new TableIndex({ name: 'idx_notifications_deliver_at', columnNames: ['deliver_at'] }),
      new TableIndex({ name: 'idx_notifications_expires_at', columnNames: ['expires_at'] }),
    ]);
    await queryRunner.createIndex(
      'notification_recipients',
      new TableIndex({ name: 'idx_notification_recipients_user_read', columnNames: ['user_id', 'read_at'] }),
    );
  }
}

import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Inbox state: when each recipient first saw a notification (`seen_at`, the bell opened) and
 * two index changes that cost a send nothing more. The unread index gains `seen_at` before
 * `expires_at`: unseen rows are a subset of unread ones (a read notification counts as seen),
 * so the unread and unseen counts come from one covering range of that index, and an insert
 * still writes the same number of index entries. The archived index is partial: a send writes
 * unarchived rows, which it leaves out, so only an archive writes to it. An inserted row's
 * `seen_at` is NULL, the column's default: no insert statement names it. The entity declares
 * the same.
 */
const UNREAD_BEFORE = { name: 'idx_notification_recipients_unread', columnNames: ['user_id', 'read_at', 'archived_at', 'expires_at'] };
const UNREAD_AND_UNSEEN = {
  name: 'idx_notification_recipients_unread',
  columnNames: ['user_id', 'read_at', 'archived_at', 'seen_at', 'expires_at'],
};
const ARCHIVED = { name: 'idx_notification_recipients_archived', columnNames: ['user_id', 'cursor'], where: '"archived_at" IS NOT NULL' };

export class InboxState1765600000000 implements MigrationInterface {
  name = 'InboxState1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // In place on both engines: a nullable column without a default rewrites nothing.
    await queryRunner.query(`ALTER TABLE "notification_recipients" ADD COLUMN "seen_at" varchar(24)`);
    await queryRunner.dropIndex('notification_recipients', UNREAD_BEFORE.name);
    await queryRunner.createIndices('notification_recipients', [new TableIndex(UNREAD_AND_UNSEEN), new TableIndex(ARCHIVED)]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_recipients', ARCHIVED.name);
    await queryRunner.dropIndex('notification_recipients', UNREAD_AND_UNSEEN.name);
    await queryRunner.createIndex('notification_recipients', new TableIndex(UNREAD_BEFORE));
    await queryRunner.dropColumn('notification_recipients', 'seen_at');
  }
}

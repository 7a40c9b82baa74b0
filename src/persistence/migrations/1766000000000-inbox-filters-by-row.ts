import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Filtered pages and counts by index. Each inbox row keeps a copy of its notification's `type`
 * and `topic` (both immutable), so a page of one type or one topic walks an index of that
 * user's rows of it in cursor order, and the counts by type and topic read one covering range
 * of the unread index, with no lookup of a notification per counted row (docs/inbox.md).
 *
 * The unread index becomes partial, on the unread, unarchived rows only, keyed by user and
 * cursor: a page of unread (or unseen) ones walks only those rows, in cursor order, however many
 * read ones the user keeps. Keyed by `read_at IS NULL` instead, PostgreSQL could not use the
 * index's order (IS NULL is not an equality to its planner) and walked the table's key. The
 * counts and the unread count of every delivery read the same range as before.
 *
 * The type and topic indexes hold unarchived rows only (a list shows archived ones only when
 * asked, and then walks the archived index): a type whose rows the user archived is not walked
 * by a page of unarchived ones, and archiving takes a row out of them.
 *
 * What a send pays: two more values in each inbox row, one more index entry per row (by type),
 * and one more for a topic send's rows (the topic index holds rows with a topic only). The unread index keeps
 * one entry per unread row; its entries grow by the type and topic. Existing rows are filled
 * from their notifications before the indexes are built.
 */
const UNREAD_BEFORE = {
  name: 'idx_notification_recipients_unread',
  columnNames: ['user_id', 'read_at', 'archived_at', 'seen_at', 'expires_at'],
};
const UNREAD_COVERING = {
  name: 'idx_notification_recipients_unread',
  columnNames: ['user_id', 'cursor', 'seen_at', 'expires_at', 'type', 'topic', 'read_at', 'archived_at'],
  where: '"read_at" IS NULL AND "archived_at" IS NULL',
};
const BY_TYPE = { name: 'idx_notification_recipients_type', columnNames: ['user_id', 'type', 'cursor'], where: '"archived_at" IS NULL' };
const BY_TOPIC = {
  name: 'idx_notification_recipients_topic',
  columnNames: ['user_id', 'topic', 'cursor'],
  where: '"topic" IS NOT NULL AND "archived_at" IS NULL',
};

export class InboxFiltersByRow1766000000000 implements MigrationInterface {
  name = 'InboxFiltersByRow1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain SQL, in place on both engines (nullable columns without a default).
    await queryRunner.query(`ALTER TABLE "notification_recipients" ADD COLUMN "type" varchar(100)`);
    await queryRunner.query(`ALTER TABLE "notification_recipients" ADD COLUMN "topic" varchar(100)`);
    await queryRunner.query(
      `UPDATE "notification_recipients" SET "type" = n."type", "topic" = n."topic"
       FROM "notifications" n WHERE n."id" = "notification_recipients"."notification_id"`,
    );
    await queryRunner.dropIndex('notification_recipients', UNREAD_BEFORE.name);
    await queryRunner.createIndices('notification_recipients', [
      new TableIndex(UNREAD_COVERING),
      new TableIndex(BY_TYPE),
      new TableIndex(BY_TOPIC),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_recipients', BY_TOPIC.name);
    await queryRunner.dropIndex('notification_recipients', BY_TYPE.name);
    await queryRunner.dropIndex('notification_recipients', UNREAD_COVERING.name);
    await queryRunner.createIndex('notification_recipients', new TableIndex(UNREAD_BEFORE));
    await queryRunner.query(`ALTER TABLE "notification_recipients" DROP COLUMN "topic"`);
    await queryRunner.query(`ALTER TABLE "notification_recipients" DROP COLUMN "type"`);
  }
}

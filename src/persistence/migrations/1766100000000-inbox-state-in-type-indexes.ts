import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Pages of one type or one topic in any state by index. The type and topic indexes gain a third
 * key between the type (or topic) and the cursor: the row's inbox state as one number, 0 unseen,
 * 1 seen, 2 read, and 3, 4, 5 the same when archived (inbox-filter.ts, INBOX_STATE, writes the
 * same expression, which is how both engines match a query's condition to the index). Each state
 * of one type is then a range in cursor order: a page of unread ones of a type merges two
 * ranges, unseen ones one, archived ones of a type three, and none walks rows it does not
 * return. The indexes now hold archived rows too (a send writes no archived row: it costs a send
 * nothing), so the walk of a user's distinct types seeks over them all.
 *
 * What a send pays: nothing more. Each new row has one entry in the type index, and one in the
 * topic index when it has a topic, as before; their keys grow by one small number. Reading,
 * seeing, archiving and unarchiving a row move its entries, as archiving did.
 */
const INBOX_STATE =
  '(CASE WHEN "archived_at" IS NULL THEN 0 ELSE 3 END + CASE WHEN "read_at" IS NOT NULL THEN 2 WHEN "seen_at" IS NOT NULL THEN 1 ELSE 0 END)';
const BY_TYPE_BEFORE = {
  name: 'idx_notification_recipients_type',
  columnNames: ['user_id', 'type', 'cursor'],
  where: '"archived_at" IS NULL',
};
const BY_TOPIC_BEFORE = {
  name: 'idx_notification_recipients_topic',
  columnNames: ['user_id', 'topic', 'cursor'],
  where: '"topic" IS NOT NULL AND "archived_at" IS NULL',
};

export class InboxStateInTypeIndexes1766100000000 implements MigrationInterface {
  name = 'InboxStateInTypeIndexes1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_recipients', BY_TYPE_BEFORE.name);
    await queryRunner.dropIndex('notification_recipients', BY_TOPIC_BEFORE.name);
    // Plain SQL: TableIndex names columns only, not an expression. The same statement on both engines.
    await queryRunner.query(
      `CREATE INDEX "idx_notification_recipients_type" ON "notification_recipients" ("user_id", "type", ${INBOX_STATE}, "cursor")`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_notification_recipients_topic" ON "notification_recipients" ("user_id", "topic", ${INBOX_STATE}, "cursor") WHERE "topic" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_recipients', 'idx_notification_recipients_topic');
    await queryRunner.dropIndex('notification_recipients', 'idx_notification_recipients_type');
    await queryRunner.createIndices('notification_recipients', [new TableIndex(BY_TYPE_BEFORE), new TableIndex(BY_TOPIC_BEFORE)]);
  }
}

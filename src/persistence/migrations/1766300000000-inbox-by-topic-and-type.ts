import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pages of a type (or a type prefix) and a topic together by index. Before, such a page walked
 * the rows of the type, or of the topic (the planner's choice), and skipped those of another
 * topic or type: a rare pair read every row of the commoner one. The topic index now keys the
 * type too, (user, topic, type, inbox state, cursor), so each (type, state) of a topic is a
 * range in cursor order. A page of a topic alone first walks the user's distinct types on the
 * topic (one seek each), then merges those ranges, as a type prefix does with the type index
 * (inbox-pages.ts).
 *
 * What a send pays: no more entries than before (one per inbox row with a topic; rows of a send
 * to users or of a broadcast have none), each longer by the type. The state expression is
 * written as in 1766100000000, so both engines match it.
 */
const INBOX_STATE =
  '(CASE WHEN "archived_at" IS NULL THEN 0 ELSE 3 END + CASE WHEN "read_at" IS NOT NULL THEN 2 WHEN "seen_at" IS NOT NULL THEN 1 ELSE 0 END)';

export class InboxByTopicAndType1766300000000 implements MigrationInterface {
  name = 'InboxByTopicAndType1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.replaceTopicIndex(queryRunner, `"user_id", "topic", "type", ${INBOX_STATE}, "cursor"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.replaceTopicIndex(queryRunner, `"user_id", "topic", ${INBOX_STATE}, "cursor"`);
  }

  /**
   * Plain SQL: TableIndex names columns only, not an expression, and TypeORM's dropIndex does not
   * find an index on an expression. PostgreSQL finds an index by the search path: it is named in
   * the table's own schema (a host's `tables.schema` renames the table in this statement).
   */
  private async replaceTopicIndex(queryRunner: QueryRunner, keys: string): Promise<void> {
    let schema = '';
    if (queryRunner.connection.options.type === 'postgres') {
      const [{ name }] = await queryRunner.query(
        `SELECT n.nspname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = '"notification_recipients"'::regclass`,
      );
      schema = `"${name}".`;
    }
    await queryRunner.query(`DROP INDEX ${schema}"idx_notification_recipients_topic"`);
    await queryRunner.query(
      `CREATE INDEX "idx_notification_recipients_topic" ON "notification_recipients" (${keys}) WHERE "topic" IS NOT NULL`,
    );
  }
}

import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Tenants (docs/tenants.md). Identities are scoped by qualified keys, which need no column;
 * two things do:
 *
 * - `notifications.tenant_id`: a broadcast is keyed by no user, so its row says whose it is.
 *   Existing rows, and every row without tenancy, belong to the default tenant ''.
 * - `notification_topic_subscriptions.topic` widens to 255: a qualified topic is its tenant's
 *   prefix (up to 105 characters) and the name (up to 100). User ids keep their 255 columns:
 *   in a tenant a user id has the room the prefix leaves.
 *
 * On PostgreSQL both are in place (a column with a constant default, a wider varchar: no table
 * rewrite); SQLite adds the column in place and rebuilds the subscriptions table, copying its rows.
 */

export class Tenants1765900000000 implements MigrationInterface {
  name = 'Tenants1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain SQL on both engines: TypeORM's addColumn rebuilds a SQLite table from its cached
    // shape, which misses columns earlier migrations added in SQL (`critical`).
    await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN "tenant_id" varchar(100) NOT NULL DEFAULT ''`);
    await this.changeTopicLength(queryRunner, '255');
  }

  /** Fails on PostgreSQL while a qualified topic is stored: nothing is cut. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await this.changeTopicLength(queryRunner, '100');
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "tenant_id"`);
  }

  private async changeTopicLength(queryRunner: QueryRunner, length: string): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`ALTER TABLE "notification_topic_subscriptions" ALTER COLUMN "topic" TYPE varchar(${length})`);
      return;
    }
    const topic = new TableColumn({ name: 'topic', type: 'varchar', length, isPrimary: true });
    await queryRunner.changeColumn('notification_topic_subscriptions', 'topic', topic);
  }
}

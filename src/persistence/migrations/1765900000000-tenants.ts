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
 * rewrite); SQLite rebuilds each table and copies its rows, with foreign keys off.
 */
const TENANT_COLUMN = new TableColumn({ name: 'tenant_id', type: 'varchar', length: '100', default: "''" });

export class Tenants1765900000000 implements MigrationInterface {
  name = 'Tenants1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('notifications', TENANT_COLUMN);
    await this.changeTopicLength(queryRunner, '255');
  }

  /** Fails on PostgreSQL while a qualified topic is stored: nothing is cut. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await this.changeTopicLength(queryRunner, '100');
    await queryRunner.dropColumn('notifications', TENANT_COLUMN.name);
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

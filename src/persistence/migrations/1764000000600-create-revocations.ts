import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Per-user revocation time: every node refuses tokens issued at or before it. */
export class CreateRevocations1764000000600 implements MigrationInterface {
  name = 'CreateRevocations1764000000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_revocations',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'revoked_before', type: 'varchar', length: '24' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_revocations');
  }
}

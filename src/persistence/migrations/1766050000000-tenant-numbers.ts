import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Tenants by number (docs/tenants.md): `notification_tenants` gives each tenant id a small
 * integer, and with tenancy every stored key is `<number>:<id>` instead of
 * `<tenant length>:<tenant id>:<id>`, so the user-led indexes of the inbox hold a few digits
 * per key instead of the tenant id (which may be a 36-character UUID).
 */
export class TenantNumbers1766050000000 implements MigrationInterface {
  name = 'TenantNumbers1766050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_tenants',
        columns: [
          { name: 'number', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'varchar', length: '100' },
        ],
        indices: [new TableIndex({ name: 'uq_notification_tenants_tenant_id', columnNames: ['tenant_id'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_tenants');
  }
}

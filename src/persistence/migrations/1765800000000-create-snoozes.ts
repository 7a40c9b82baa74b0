import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const timestamp = (name: string, nullable = false) => ({ name, type: 'varchar', length: '24', isNullable: nullable });

/**
 * Snoozed inbox entries: a snoozed entry leaves `notification_recipients` (so every list, count
 * and replay leaves it out with no extra condition) and waits here until `until`, when the
 * scheduled-delivery worker puts it back as a new entry. Keyed like the inbox rows, by
 * (notification, user); the release finds what is due by `until`, the erasure by user.
 */
export class CreateSnoozes1765800000000 implements MigrationInterface {
  name = 'CreateSnoozes1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_snoozes',
        columns: [
          { name: 'notification_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          timestamp('until'),
          timestamp('snoozed_at'),
          timestamp('expires_at', true),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['notification_id'],
            referencedTableName: 'notifications',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'idx_notification_snoozes_due', columnNames: ['until'] }),
          new TableIndex({ name: 'idx_notification_snoozes_user', columnNames: ['user_id', 'notification_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_snoozes');
  }
}

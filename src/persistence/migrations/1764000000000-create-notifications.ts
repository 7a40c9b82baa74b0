import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const timestamp = (name: string, nullable = true) => ({ name, type: 'varchar', length: '24', isNullable: nullable });

/** The inbox schema: notifications, one row per recipient, idempotency keys. */
export class CreateNotifications1764000000000 implements MigrationInterface {
  name = 'CreateNotifications1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One sequence orders every inbox: on PostgreSQL it is shared by all nodes for years, so
    // bigint (bigserial); SQLite's INTEGER PRIMARY KEY is already 64-bit and must stay `integer`.
    const cursorType = queryRunner.connection.options.type === 'postgres' ? 'bigint' : 'integer';
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'type', type: 'varchar', length: '100' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'body', type: 'text', isNullable: true },
          { name: 'data', type: 'text', isNullable: true },
          { name: 'priority', type: 'varchar', length: '6', default: "'normal'" },
          { name: 'topic', type: 'varchar', length: '100', isNullable: true },
          { name: 'sender_id', type: 'varchar', length: '255', isNullable: true },
          timestamp('created_at', false),
          timestamp('expires_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_recipients',
        columns: [
          { name: 'cursor', type: cursorType, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'notification_id', type: 'varchar', length: '36' },
          timestamp('created_at', false),
          timestamp('expires_at'),
          timestamp('delivered_at'),
          timestamp('read_at'),
          timestamp('archived_at'),
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
          new TableIndex({
            name: 'uq_notification_recipients_user_notification',
            columnNames: ['user_id', 'notification_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_notification_recipients_user_cursor', columnNames: ['user_id', 'cursor'] }),
          new TableIndex({ name: 'idx_notification_recipients_user_read', columnNames: ['user_id', 'read_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_idempotency_keys',
        columns: [
          { name: 'sender_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'response', type: 'text' },
          timestamp('created_at', false),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_idempotency_keys');
    await queryRunner.dropTable('notification_recipients');
    await queryRunner.dropTable('notifications');
  }
}

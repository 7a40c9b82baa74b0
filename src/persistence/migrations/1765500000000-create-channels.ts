import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const timestamp = (name: string, nullable = false) => ({ name, type: 'varchar', length: '24', isNullable: nullable });
const notificationKey = () =>
  new TableForeignKey({
    columnNames: ['notification_id'],
    referencedTableName: 'notifications',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/**
 * Channels beyond the socket: the outbox of planned sends (written in the send's transaction),
 * every attempt, browsers' push subscriptions, the email claim last seen per user, and
 * lifecycle events on their way to the webhook.
 */
export class CreateChannels1765500000000 implements MigrationInterface {
  name = 'CreateChannels1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // As for cursors: bigint on PostgreSQL, SQLite's 64-bit `integer` rowid key.
    const idType = queryRunner.connection.options.type === 'postgres' ? 'bigint' : 'integer';
    const id = { name: 'id', type: idType, isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    await queryRunner.createTable(
      new Table({
        name: 'notification_outbox',
        columns: [
          id,
          { name: 'notification_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'channel', type: 'varchar', length: '40' },
          { name: 'cancel_when', type: 'varchar', length: '9' },
          timestamp('planned_at'),
          timestamp('due_at'),
          { name: 'status', type: 'varchar', length: '9', default: "'pending'" },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          timestamp('claimed_until', true),
          timestamp('updated_at'),
        ],
        foreignKeys: [notificationKey()],
        indices: [
          new TableIndex({ name: 'uq_notification_outbox_plan', columnNames: ['notification_id', 'user_id', 'channel'], isUnique: true }),
          new TableIndex({ name: 'idx_notification_outbox_due', columnNames: ['due_at'], where: `"status" = 'pending'` }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_channel_attempts',
        columns: [
          id,
          { name: 'notification_id', type: 'varchar', length: '36' },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'channel', type: 'varchar', length: '40' },
          { name: 'attempt', type: 'integer' },
          timestamp('at'),
          { name: 'outcome', type: 'varchar', length: '7' },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
        ],
        foreignKeys: [notificationKey()],
        indices: [
          new TableIndex({ name: 'idx_notification_channel_attempts_channel', columnNames: ['channel', 'id'] }),
          new TableIndex({ name: 'idx_notification_channel_attempts_notification', columnNames: ['notification_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_push_subscriptions',
        columns: [
          { name: 'endpoint', type: 'varchar', length: '2048', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255' },
          { name: 'p256dh', type: 'varchar', length: '100' },
          { name: 'auth', type: 'varchar', length: '50' },
          timestamp('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_notification_push_subscriptions_user', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_user_contacts',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'email', type: 'varchar', length: '320' },
          timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_webhook_events',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'payload', type: 'text' },
          { name: 'status', type: 'varchar', length: '9', default: "'pending'" },
          { name: 'attempts', type: 'integer', default: 0 },
          timestamp('due_at'),
          timestamp('claimed_until', true),
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          timestamp('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_notification_webhook_events_due', columnNames: ['due_at'], where: `"status" = 'pending'` })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_webhook_events');
    await queryRunner.dropTable('notification_user_contacts');
    await queryRunner.dropTable('notification_push_subscriptions');
    await queryRunner.dropTable('notification_channel_attempts');
    await queryRunner.dropTable('notification_outbox');
  }
}

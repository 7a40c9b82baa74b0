import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Audiences and time: topic subscriptions, and on each notification its audience
 * (`users`, `topic` or `broadcast`), when it is due, and the audience it still waits to reach.
 */
export class CreateAudiences1764100000000 implements MigrationInterface {
  name = 'CreateAudiences1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_topic_subscriptions',
        columns: [
          { name: 'topic', type: 'varchar', length: '100', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
        indices: [new TableIndex({ name: 'idx_notification_topic_subscriptions_user', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.addColumns('notifications', [
      new TableColumn({ name: 'audience', type: 'varchar', length: '9', default: "'users'" }),
      new TableColumn({ name: 'deliver_at', type: 'varchar', length: '24', isNullable: true }),
      // JSON of the audience while the notification is held until deliver_at; NULL once released.
      new TableColumn({ name: 'pending_audience', type: 'text', isNullable: true }),
    ]);
    await queryRunner.createIndices('notifications', [
      new TableIndex({ name: 'idx_notifications_audience_expires', columnNames: ['audience', 'expires_at'] }),
      new TableIndex({ name: 'idx_notifications_deliver_at', columnNames: ['deliver_at'] }),
      new TableIndex({ name: 'idx_notifications_expires_at', columnNames: ['expires_at'] }),
    ]);
    // Fan-out, broadcast claims and expiry cleanup look recipients up by notification.
    await queryRunner.createIndex(
      'notification_recipients',
      new TableIndex({ name: 'idx_notification_recipients_notification', columnNames: ['notification_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_recipients', 'idx_notification_recipients_notification');
    await queryRunner.dropIndex('notifications', 'idx_notifications_expires_at');
    await queryRunner.dropIndex('notifications', 'idx_notifications_deliver_at');
    await queryRunner.dropIndex('notifications', 'idx_notifications_audience_expires');
    await queryRunner.dropColumns('notifications', ['pending_audience', 'deliver_at', 'audience']);
    await queryRunner.dropTable('notification_topic_subscriptions');
  }
}

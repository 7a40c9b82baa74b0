import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The unique key of an inbox row becomes (notification_id, user_id), replacing
 * (user_id, notification_id) and the plain index on notification_id, which it covers.
 * Notification ids are time-ordered (UUIDv7), so a send appends to this index instead of
 * dirtying a random page per recipient, as a key led by the user id did; lookups by user and
 * id (ack, read, archive) and by notification (fan-out, cleanup) use it all the same.
 */
export class RecipientsKeyedByNotification1764400000000 implements MigrationInterface {
  name = 'RecipientsKeyedByNotification1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'notification_recipients',
      new TableIndex({ name: 'uq_notification_recipients_notification_user', columnNames: ['notification_id', 'user_id'], isUnique: true }),
    );
    await queryRunner.dropIndex('notification_recipients', 'uq_notification_recipients_user_notification');
    await queryRunner.dropIndex('notification_recipients', 'idx_notification_recipients_notification');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndices('notification_recipients', [
      new TableIndex({ name: 'uq_notification_recipients_user_notification', columnNames: ['user_id', 'notification_id'], isUnique: true }),
      new TableIndex({ name: 'idx_notification_recipients_notification', columnNames: ['notification_id'] }),
    ]);
    await queryRunner.dropIndex('notification_recipients', 'uq_notification_recipients_notification_user');
  }
}

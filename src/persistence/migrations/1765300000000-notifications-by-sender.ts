import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A sender's notifications, newest first: the audit of sends (`GET /notifications/sent?senderId=`)
 * pages through them, and erasing a user's data clears their id from what they sent. Partial:
 * notifications that host code sent without a sender stay out of it. The entity declares it too.
 */
const BY_SENDER = { name: 'idx_notifications_sender', columnNames: ['sender_id', 'id'], where: '"sender_id" IS NOT NULL' };

export class NotificationsBySender1765300000000 implements MigrationInterface {
  name = 'NotificationsBySender1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('notifications', new TableIndex(BY_SENDER));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notifications', BY_SENDER.name);
  }
}

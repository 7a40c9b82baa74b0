import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A sender's held sends, soonest first, for `GET /notifications/scheduled`: partial like
 * `idx_notifications_held`, so sends that go at once (nearly all of them) never touch it,
 * and keyed by (deliver_at, id) after the sender, the order and the keyset of the list.
 */
const HELD_BY_SENDER = {
  name: 'idx_notifications_held_by_sender',
  columnNames: ['sender_id', 'deliver_at', 'id'],
  where: '"pending_audience" IS NOT NULL',
};

export class HeldSendsBySender1765200000000 implements MigrationInterface {
  name = 'HeldSendsBySender1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('notifications', new TableIndex(HELD_BY_SENDER));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notifications', HELD_BY_SENDER.name);
  }
}

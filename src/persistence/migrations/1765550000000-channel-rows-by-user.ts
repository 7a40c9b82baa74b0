import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * A user's channel plans and attempts, in the order they were written: exporting and erasing a
 * user's data (`/users/:userId/data`) pages through them. Written only when a channel is
 * configured, so the live path pays nothing for them. The entities declare them too.
 */
const OUTBOX_BY_USER = { name: 'idx_notification_outbox_user', columnNames: ['user_id', 'id'] };
const ATTEMPTS_BY_USER = { name: 'idx_notification_channel_attempts_user', columnNames: ['user_id', 'id'] };

export class ChannelRowsByUser1765550000000 implements MigrationInterface {
  name = 'ChannelRowsByUser1765550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('notification_outbox', new TableIndex(OUTBOX_BY_USER));
    await queryRunner.createIndex('notification_channel_attempts', new TableIndex(ATTEMPTS_BY_USER));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_channel_attempts', ATTEMPTS_BY_USER.name);
    await queryRunner.dropIndex('notification_outbox', OUTBOX_BY_USER.name);
  }
}

import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Idempotency keys by age, for the sweep that deletes those past the 24 h window in batches
 * (ExpiryCleanupWorker): each batch reads the oldest rows from this index instead of the
 * whole table, which holds a day of keyed sends.
 */
export class IdempotencyKeysByAge1764500000000 implements MigrationInterface {
  name = 'IdempotencyKeysByAge1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'notification_idempotency_keys',
      new TableIndex({ name: 'idx_notification_idempotency_keys_created_at', columnNames: ['created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_idempotency_keys', 'idx_notification_idempotency_keys_created_at');
  }
}

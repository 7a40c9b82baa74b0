import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many recipients a notification's send skipped because their preferences keep it out of
 * their inbox: the audit of sends (`GET /notifications/sent`) reports it. Written in the send's
 * transaction only when it is not 0. Plain SQL: on SQLite, TypeORM's addColumn rebuilds the
 * table from its own idea of the columns and would drop those added by SQL before.
 */
export class SuppressedCount1765950000000 implements MigrationInterface {
  name = 'SuppressedCount1765950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN "suppressed" integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "suppressed"`);
  }
}

import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Users' preferences: the value as set (`notification_preferences`), its in-app entries as
 * rows an inbox insert looks up by primary key (`notification_in_app_rules`), and on each
 * notification whether it was sent `critical` (delivered whatever the preferences).
 */
export class Preferences1765400000000 implements MigrationInterface {
  name = 'Preferences1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_preferences',
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_in_app_rules',
        // The key order is the lookup's: one user's rules, strongest precedence first.
        columns: [
          { name: 'user_id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'precedence', type: 'smallint', isPrimary: true },
          { name: 'key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'in_app', type: 'smallint' },
        ],
      }),
    );
    // In place on both engines: a constant default needs no table rebuild on SQLite, and no
    // rewrite on PostgreSQL 11 or later.
    await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN "critical" smallint NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('notifications', 'critical');
    await queryRunner.dropTable('notification_in_app_rules');
    await queryRunner.dropTable('notification_preferences');
  }
}

import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Actions and grouping. A notification keeps its actions (JSON) and its groupKey with its
 * content; each inbox row keeps the action its user took, and for grouping a copy of the key,
 * how many sends it stands for and the row it replaced. The index is partial: a send without
 * a key maintains no index of its own (only grouped rows are in it). Every column is added in
 * place on both engines (nullable, or a constant default).
 */
const BY_GROUP = {
  name: 'idx_notification_recipients_group',
  columnNames: ['user_id', 'group_key'],
  where: '"group_key" IS NOT NULL',
};

const NOTIFICATION_COLUMNS = ['"actions" text', '"group_key" varchar(100)'];
const RECIPIENT_COLUMNS = [
  '"group_key" varchar(100)',
  '"group_count" integer NOT NULL DEFAULT 1',
  '"replaces" varchar(36)',
  '"action_id" varchar(40)',
  '"actioned_at" varchar(24)',
];

export class ActionsAndGrouping1765700000000 implements MigrationInterface {
  name = 'ActionsAndGrouping1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of NOTIFICATION_COLUMNS) await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN ${column}`);
    for (const column of RECIPIENT_COLUMNS) await queryRunner.query(`ALTER TABLE "notification_recipients" ADD COLUMN ${column}`);
    await queryRunner.createIndex('notification_recipients', new TableIndex(BY_GROUP));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notification_recipients', BY_GROUP.name);
    await queryRunner.dropColumns('notification_recipients', ['actioned_at', 'action_id', 'replaces', 'group_count', 'group_key']);
    await queryRunner.dropColumns('notifications', ['group_key', 'actions']);
  }
}

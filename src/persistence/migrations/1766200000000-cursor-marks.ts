import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Marks on the inbox's cursor line (CursorMarkEntity): a page with `since` starts its walk of
 * the user's rows above the newest mark from before `since`. Keyed by the mark's time, which
 * is all the lookup reads. The first mark is written here, so an inbox that exists before this
 * migration is bounded from the moment it runs.
 */
export class CursorMarks1766200000000 implements MigrationInterface {
  name = 'CursorMarks1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'notification_cursor_marks',
        columns: [
          { name: 'at', type: 'varchar', length: '24', isPrimary: true },
          // bigint on both: on SQLite a plain column of integer affinity (only the key must be `integer`).
          { name: 'cursor', type: 'bigint' },
        ],
      }),
    );
    const [{ highest }] = await queryRunner.query(`SELECT COALESCE(MAX("cursor"), 0) AS "highest" FROM "notification_recipients"`);
    // Both values are this code's own (a time and a number), written into the statement.
    const at = new Date().toISOString();
    await queryRunner.query(`INSERT INTO "notification_cursor_marks" ("at", "cursor") VALUES ('${at}', ${Number(highest)})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_cursor_marks');
  }
}

import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * `notifications.title` becomes `text`. The 200-character limit is the API's (the REST DTO);
 * what the column holds is longer: on PostgreSQL a null byte or U+0001 is stored as two
 * characters (postgres-text.ts), and class-validator does not count a U+FE0E/U+FE0F after a
 * character, so "\0\uFE0F" is one character of the limit and three stored ones. No varchar
 * length would follow from that limit without restating the validator's counting; `text` costs
 * the same on both engines. `body` was `text` already; `type` and `topic` match ASCII patterns
 * and are stored unescaped.
 */
export class TitleAsText1764300000000 implements MigrationInterface {
  name = 'TitleAsText1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.changeTitle(queryRunner, { name: 'title', type: 'text' });
  }

  /** Fails on PostgreSQL while a stored title is longer than 200 characters: nothing is cut. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await this.changeTitle(queryRunner, { name: 'title', type: 'varchar', length: '200' });
  }

  private async changeTitle(queryRunner: QueryRunner, column: { name: string; type: string; length?: string }) {
    if (queryRunner.connection.options.type === 'postgres') {
      // In place: TypeORM's changeColumn drops and re-adds a column whose type changes, losing
      // every title. varchar to text needs no table rewrite.
      const type = column.length ? `varchar(${column.length})` : column.type;
      await queryRunner.query(`ALTER TABLE "notifications" ALTER COLUMN "title" TYPE ${type}`);
      return;
    }
    // SQLite cannot alter a column: TypeORM rebuilds the table and copies its rows. Migrations
    // run with foreign keys off, so dropping the old table cascades to no recipient.
    await queryRunner.changeColumn('notifications', 'title', new TableColumn(column));
  }
}

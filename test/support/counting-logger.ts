import { Logger as TypeOrmLogger } from 'typeorm';

/** A TypeORM logger that counts the statements reaching the database (set `logging: true`). */
export class CountingLogger implements TypeOrmLogger {
  count = 0;
  logQuery(): void {
    this.count++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
